/**
 * IR parts -> Bedrock Converse content blocks. Reference: Bedrock API Reference "Message",
 * "ContentBlock", "SystemContentBlock", "ImageBlock", "ToolUseBlock", "ToolResultBlock",
 * "ReasoningContentBlock", "CachePointBlock".
 */
import { TranslationError } from './ir.ts';
import { toolArgumentsObject } from './tool-arguments.ts';
import type { ChatMessage, ContentPart, ImagePart, TextPart, ThinkingPart, ToolResultPart } from './ir.ts';
import { IMAGE_FORMATS } from './bedrock-content-decode.ts';

type Block = Record<string, unknown>;

const CACHE_POINT: Block = { cachePoint: { type: 'default' } };

export function encodeSystem(system: TextPart[]): Block[] {
  return system.flatMap((part) => withCachePoint({ text: part.text }, part));
}

function withCachePoint(block: Block, part: ContentPart): Block[] {
  return part.type === 'text' && part.cacheBreakpoint ? [block, { ...CACHE_POINT }] : [block];
}

/** Bedrock rejects two turns in a row from one role, so adjacent same-role messages are merged. */
export function encodeMessages(messages: ChatMessage[]): Block[] {
  const out: Array<{ role: string; content: Block[] }> = [];
  for (const message of messages) {
    const content = message.content.flatMap(encodePart);
    const previous = out[out.length - 1];
    if (previous?.role === message.role) previous.content.push(...content);
    else out.push({ role: message.role, content });
  }
  return out;
}

function encodePart(part: ContentPart): Block[] {
  switch (part.type) {
    case 'text':
      return withCachePoint({ text: part.text }, part);
    case 'image':
      return [{ image: encodeImage(part) }];
    case 'tool_call':
      return [{ toolUse: { toolUseId: part.id, name: part.name, input: argumentsObject(part.arguments) } }];
    case 'tool_result':
      return [{ toolResult: encodeToolResult(part) }];
    case 'thinking':
      return [{ reasoningContent: encodeThinking(part) }];
  }
}

function encodeImage(part: ImagePart): Block {
  const source = part.source;
  if (source.kind !== 'base64') {
    throw new TranslationError('Bedrock takes images as bytes only, not URLs', 'messages');
  }
  const format = source.mediaType.startsWith('image/') ? source.mediaType.slice('image/'.length) : '';
  if (!(IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new TranslationError(`Bedrock does not take ${source.mediaType} images`, 'messages');
  }
  return { format, source: { bytes: source.data } };
}

/** ToolUseBlock.input is a JSON object; a call without arguments streams none, i.e. "". */
function argumentsObject(text: string): Record<string, unknown> {
  const value = toolArgumentsObject(text);
  // Truncated or non-object arguments cannot be sent as a toolUse input.
  if (!value) throw new TranslationError('tool call arguments must be a JSON object', 'messages');
  return value;
}

/** status is sent only for errors: success is the default, and few models accept the field. */
function encodeToolResult(part: ToolResultPart): Block {
  const content = part.content.map((item) =>
    item.type === 'text' ? { text: item.text } : { image: encodeImage(item) },
  );
  const block: Block = { toolUseId: part.toolCallId, content };
  if (part.isError) block.status = 'error';
  return block;
}

function encodeThinking(part: ThinkingPart): Block {
  if (part.redacted !== undefined) return { redactedContent: part.redacted };
  const reasoningText: Block = { text: part.text };
  if (part.signature !== null) reasoningText.signature = part.signature;
  return { reasoningText };
}
