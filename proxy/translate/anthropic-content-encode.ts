/**
 * IR parts -> Anthropic content blocks, for request messages, the system prompt and response content.
 * Reference: Anthropic API reference "Messages" (https://docs.anthropic.com/en/api/messages): input
 * messages, content block params, and the rule that tool_result blocks come first in their user
 * message; @anthropic-ai/sdk resources/messages/messages.ts for the exact block shapes.
 */
import { TranslationError } from './ir.ts';
import { toolArgumentsObject } from './tool-arguments.ts';
import type { ChatMessage, ContentPart, ImagePart, TextPart, ThinkingPart, ToolCallPart } from './ir.ts';

type Block = Record<string, unknown>;
type Content = string | Block[];

/** One text part without a breakpoint is written as a plain string, the reference's shorthand. */
function compact(blocks: Block[]): Content {
  const only = blocks.length === 1 ? blocks[0] : undefined;
  if (only?.type === 'text' && only.cache_control === undefined && typeof only.text === 'string')
    return only.text;
  return blocks;
}

export function encodeText(part: TextPart): Block {
  const block: Block = { type: 'text', text: part.text };
  if (part.cacheBreakpoint === true) block.cache_control = { type: 'ephemeral' };
  return block;
}

/** The API rejects empty text blocks in requests, so they are left out. */
function requestText(part: TextPart): Block | null {
  return part.text === '' ? null : encodeText(part);
}

/** The system prompt, or undefined when there is none (the field is optional). */
export function encodeSystem(system: TextPart[]): Content | undefined {
  const blocks = system.map(requestText).filter((block) => block !== null);
  return blocks.length === 0 ? undefined : compact(blocks);
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

/** A data: URL is not a URL the API fetches: it is sent as the base64 source it really is. */
function encodeImage(part: ImagePart): Block {
  const source = part.source;
  const inline = source.kind === 'url' ? DATA_URL.exec(source.url) : null;
  if (inline !== null) {
    return { type: 'image', source: { type: 'base64', media_type: inline[1], data: inline[2] } };
  }
  if (source.kind === 'url') return { type: 'image', source: { type: 'url', url: source.url } };
  return { type: 'image', source: { type: 'base64', media_type: source.mediaType, data: source.data } };
}

/** The arguments as an object: blank text means no arguments; anything else not an object is null. */
function encodeToolUse(part: ToolCallPart, input: Record<string, unknown>): Block {
  return { type: 'tool_use', id: part.id, name: part.name, input };
}

/** In a request, arguments that are not a JSON object cannot become tool_use.input: a 400, not a guess. */
function requestToolUse(part: ToolCallPart): Block {
  const input = toolArgumentsObject(part.arguments);
  if (input === null) {
    throw new TranslationError(`arguments of tool call ${part.id} are not a JSON object`, 'messages');
  }
  return encodeToolUse(part, input);
}

/**
 * In an answer the text is already produced (typically cut short by max_tokens): the client gets the
 * call with an empty input rather than losing the whole answer.
 */
function answerToolUse(part: ToolCallPart): Block {
  return encodeToolUse(part, toolArgumentsObject(part.arguments) ?? {});
}

/**
 * The API verifies signatures, so unsigned thinking (from another provider) cannot be sent back to
 * it: it is dropped from requests.
 */
function requestThinking(part: ThinkingPart): Block | null {
  if (part.redacted !== undefined) return { type: 'redacted_thinking', data: part.redacted };
  if (part.signature === null) return null;
  return { type: 'thinking', thinking: part.text, signature: part.signature };
}

/** ThinkingBlock.signature is a required string: unsigned thinking gets an empty one. */
function answerThinking(part: ThinkingPart): Block {
  if (part.redacted !== undefined) return { type: 'redacted_thinking', data: part.redacted };
  return { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
}

function encodeToolResult(part: Extract<ContentPart, { type: 'tool_result' }>): Block {
  const block: Block = { type: 'tool_result', tool_use_id: part.toolCallId };
  const content = part.content
    .map((item) => (item.type === 'text' ? requestText(item) : encodeImage(item)))
    .filter((item) => item !== null);
  if (content.length > 0) block.content = compact(content);
  if (part.isError) block.is_error = true;
  return block;
}

function encodeRequestPart(part: ContentPart): Block | null {
  switch (part.type) {
    case 'text':
      return requestText(part);
    case 'image':
      return encodeImage(part);
    case 'tool_call':
      return requestToolUse(part);
    case 'tool_result':
      return encodeToolResult(part);
    case 'thinking':
      return requestThinking(part);
  }
}

export function encodeAnswerPart(part: TextPart | ToolCallPart | ThinkingPart): Block {
  if (part.type === 'text') return { type: 'text', text: part.text };
  return part.type === 'tool_call' ? answerToolUse(part) : answerThinking(part);
}

interface Turn {
  role: 'user' | 'assistant';
  blocks: Block[];
}

/**
 * Consecutive same-role messages are merged into one turn (turns alternate), messages left empty
 * are dropped (the API rejects empty content), and each user turn lists its tool_result blocks
 * first, as the reference requires after a tool_use turn.
 */
export function encodeMessages(messages: ChatMessage[]): Array<{ role: string; content: Content }> {
  const turns: Turn[] = [];
  for (const message of messages) {
    const blocks = message.content.map(encodeRequestPart).filter((block) => block !== null);
    if (blocks.length === 0) continue;
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === message.role) last.blocks.push(...blocks);
    else turns.push({ role: message.role, blocks });
  }
  return turns.map((turn) => ({
    role: turn.role,
    content: compact(turn.role === 'user' ? toolResultsFirst(turn.blocks) : turn.blocks),
  }));
}

function toolResultsFirst(blocks: Block[]): Block[] {
  const results = blocks.filter((block) => block.type === 'tool_result');
  return results.length === 0
    ? blocks
    : [...results, ...blocks.filter((block) => block.type !== 'tool_result')];
}
