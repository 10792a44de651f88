/**
 * Bedrock Converse content blocks -> IR parts. Reference: Bedrock API Reference "Message",
 * "ContentBlock", "SystemContentBlock", "ImageBlock", "ToolUseBlock", "ToolResultBlock",
 * "ToolResultContentBlock", "ReasoningContentBlock", "CachePointBlock".
 */
import { isRecord, stringField } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type {
  ChatMessage,
  ContentPart,
  ImagePart,
  TextPart,
  ThinkingPart,
  ToolCallPart,
  ToolResultPart,
} from './ir.ts';

export const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'] as const;

/** Tool names by toolUseId, so a toolResult can name its tool (Gemini matches results by name). */
type ToolNames = Map<string, string>;

export function decodeSystem(raw: unknown): TextPart[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new TranslationError('system must be an array of blocks', 'system');
  const parts: TextPart[] = [];
  for (const block of raw) {
    if (isRecord(block) && typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
    else if (isRecord(block) && isRecord(block.cachePoint)) markCachePoint(parts);
    else throw new TranslationError('system blocks must be text or cachePoint', 'system');
  }
  return parts;
}

export function decodeMessages(raw: unknown): ChatMessage[] {
  if (!Array.isArray(raw)) throw new TranslationError('messages must be an array', 'messages');
  const toolNames: ToolNames = new Map();
  return raw.map((message) => decodeMessage(message, toolNames));
}

function decodeMessage(raw: unknown, toolNames: ToolNames): ChatMessage {
  if (!isRecord(raw)) throw new TranslationError('each message must be an object', 'messages');
  const role = raw.role;
  if (role !== 'user' && role !== 'assistant') {
    throw new TranslationError('message role must be user or assistant', 'messages');
  }
  if (!Array.isArray(raw.content)) throw new TranslationError('message content must be an array', 'messages');
  const content: ContentPart[] = [];
  for (const block of raw.content) {
    if (isRecord(block) && isRecord(block.cachePoint)) markCachePoint(content);
    else content.push(decodeBlock(block, toolNames));
  }
  return { role, content };
}

/**
 * The IR keeps a breakpoint only on text parts; a cachePoint after anything else (or first) has
 * nothing to attach to and is dropped rather than moved onto other content.
 */
function markCachePoint(parts: ContentPart[]): void {
  const last = parts[parts.length - 1];
  if (last?.type === 'text') last.cacheBreakpoint = true;
}

function decodeBlock(block: unknown, toolNames: ToolNames): ContentPart {
  if (!isRecord(block)) throw new TranslationError('content blocks must be objects', 'messages');
  if (typeof block.text === 'string') return { type: 'text', text: block.text };
  if (block.image !== undefined) return decodeImage(block.image);
  if (block.toolUse !== undefined) {
    const call = decodeToolUse(block.toolUse);
    toolNames.set(call.id, call.name);
    return call;
  }
  if (block.toolResult !== undefined) return decodeToolResult(block.toolResult, toolNames);
  if (block.reasoningContent !== undefined) {
    const thinking = decodeReasoning(block.reasoningContent);
    if (thinking === null)
      throw new TranslationError('reasoningContent needs reasoningText or redactedContent', 'messages');
    return thinking;
  }
  // document, video, guardContent, citationsContent...: content the IR cannot carry, not extras.
  throw new TranslationError(
    'unsupported content block (only text, image, toolUse, toolResult, reasoningContent)',
    'messages',
  );
}

export function decodeImage(raw: unknown): ImagePart {
  const format = stringField(raw, 'format');
  if (format === null || !(IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new TranslationError('image format must be png, jpeg, gif or webp', 'messages');
  }
  const bytes = isRecord(raw) ? base64Of(isRecord(raw.source) ? raw.source.bytes : undefined) : null;
  if (bytes === null) throw new TranslationError('image source must carry base64 bytes', 'messages');
  return { type: 'image', source: { kind: 'base64', mediaType: `image/${format}`, data: bytes } };
}

/** Bytes are base64 text in JSON; the SDK hands them over as Uint8Array. */
export function base64Of(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return null;
}

function decodeToolUse(raw: unknown): ToolCallPart {
  const id = stringField(raw, 'toolUseId');
  const name = stringField(raw, 'name');
  if (id === null || name === null || !isRecord(raw) || raw.input === undefined) {
    throw new TranslationError('toolUse needs toolUseId, name and input', 'messages');
  }
  return { type: 'tool_call', id, name, arguments: JSON.stringify(raw.input) };
}

function decodeToolResult(raw: unknown, toolNames: ToolNames): ToolResultPart {
  const id = stringField(raw, 'toolUseId');
  if (id === null || !isRecord(raw) || !Array.isArray(raw.content)) {
    throw new TranslationError('toolResult needs toolUseId and content', 'messages');
  }
  return {
    type: 'tool_result',
    toolCallId: id,
    name: toolNames.get(id) ?? null,
    content: raw.content.map(decodeToolResultContent),
    isError: raw.status === 'error',
  };
}

/** A json result becomes its JSON text: the IR's tool results hold text and images only. */
function decodeToolResultContent(block: unknown): TextPart | ImagePart {
  if (isRecord(block) && typeof block.text === 'string') return { type: 'text', text: block.text };
  if (isRecord(block) && block.json !== undefined) return { type: 'text', text: JSON.stringify(block.json) };
  if (isRecord(block) && block.image !== undefined) return decodeImage(block.image);
  throw new TranslationError('toolResult content must be text, json or image', 'messages');
}

export function decodeReasoning(raw: unknown): ThinkingPart | null {
  if (isRecord(raw) && isRecord(raw.reasoningText) && typeof raw.reasoningText.text === 'string') {
    const signature = stringField(raw.reasoningText, 'signature');
    return { type: 'thinking', text: raw.reasoningText.text, signature };
  }
  const redacted = isRecord(raw) ? base64Of(raw.redactedContent) : null;
  return redacted === null ? null : { type: 'thinking', text: '', signature: null, redacted };
}
