import { isRecord, type CompressibleEndpoint, type Json } from './types.ts';

/**
 * The three wire formats, seen through one lens: a conversation array (chat and messages
 * `messages`, responses `input`) whose entries carry texts. Every mapper here is copy-on-write:
 * it returns the very same object when nothing changed, so "no change" is an identity check.
 *
 * Only text is ever handed to a mapper: chat `text` parts and string contents, Anthropic `text`
 * blocks and tool_result contents, Responses `input_text`/`output_text` parts and function
 * outputs. Images, audio, files, documents, thinking blocks and tool call arguments pass through.
 */

export type TextKind = 'prose' | 'tool';
export type TextMapper = (text: string, kind: TextKind) => string;

const TEXT_PART_TYPES = new Set(['text', 'input_text', 'output_text']);
const TOOL_OUTPUT_TYPES = new Set(['function_call_output', 'custom_tool_call_output']);

export function conversationKey(endpoint: CompressibleEndpoint): 'messages' | 'input' {
  return endpoint === 'responses' ? 'input' : 'messages';
}

export function conversationOf(endpoint: CompressibleEndpoint, body: Json): unknown[] | null {
  const value = body[conversationKey(endpoint)];
  return Array.isArray(value) ? value : null;
}

/** Copy-on-write map: the same array back when no element changed. */
export function mapArray<T>(items: readonly T[], fn: (item: T, index: number) => T): T[] {
  let out: T[] | null = null;
  items.forEach((item, index) => {
    const next = fn(item, index);
    if (next !== item) {
      out ??= items.slice();
      out[index] = next;
    }
  });
  return out ?? (items as T[]);
}

export function withField(object: Json, key: string, value: unknown): Json {
  return object[key] === value ? object : { ...object, [key]: value };
}

/** Who produced an entry: its role, or for Responses items without one, who emits that item type. */
export function roleOf(message: unknown): string {
  if (!isRecord(message)) return 'unknown';
  if (typeof message['role'] === 'string') return message['role'];
  const type = message['type'];
  if (typeof type !== 'string' || type === 'item_reference') return 'unknown';
  return TOOL_OUTPUT_TYPES.has(type) || type.endsWith('_output') ? 'tool' : 'assistant';
}

/** Maps a string content, or the text parts of a content array. */
export function mapContent(content: unknown, kind: TextKind, fn: TextMapper): unknown {
  if (typeof content === 'string') return fn(content, kind);
  if (!Array.isArray(content)) return content;
  return mapArray(content, (part) => {
    if (!isRecord(part) || typeof part['text'] !== 'string' || !TEXT_PART_TYPES.has(String(part['type']))) {
      return part;
    }
    return withField(part, 'text', fn(part['text'], kind));
  });
}

function mapAnthropicBlocks(content: unknown, fn: TextMapper): unknown {
  if (!Array.isArray(content)) return mapContent(content, 'prose', fn);
  return mapArray(content, (block) => {
    if (!isRecord(block)) return block;
    if (block['type'] === 'tool_result')
      return withField(block, 'content', mapContent(block['content'], 'tool', fn));
    if (block['type'] !== 'text' || typeof block['text'] !== 'string') return block;
    return withField(block, 'text', fn(block['text'], 'prose'));
  });
}

/** Applies `fn` to every text a conversation entry carries. */
export function mapMessageTexts(endpoint: CompressibleEndpoint, message: unknown, fn: TextMapper): unknown {
  if (!isRecord(message)) return message;
  if (endpoint === 'messages')
    return withField(message, 'content', mapAnthropicBlocks(message['content'], fn));
  if (endpoint === 'responses' && TOOL_OUTPUT_TYPES.has(String(message['type']))) {
    return withField(message, 'output', mapContent(message['output'], 'tool', fn));
  }
  if (endpoint === 'responses' && typeof message['role'] !== 'string') return message;
  const kind: TextKind = message['role'] === 'tool' || message['role'] === 'function' ? 'tool' : 'prose';
  return withField(message, 'content', mapContent(message['content'], kind, fn));
}

/** Applies `fn` to the system prompt kept outside the conversation (Anthropic system, Responses instructions). */
export function mapSystemTexts(endpoint: CompressibleEndpoint, body: Json, fn: TextMapper): Json {
  if (endpoint === 'messages' && body['system'] !== undefined) {
    return withField(body, 'system', mapContent(body['system'], 'prose', fn));
  }
  if (endpoint === 'responses') {
    const withInstructions =
      typeof body['instructions'] === 'string'
        ? withField(body, 'instructions', fn(body['instructions'], 'prose'))
        : body;
    // A bare string input is a single user message with nothing to pair or dedupe against.
    return typeof body['input'] === 'string'
      ? withField(withInstructions, 'input', fn(body['input'], 'prose'))
      : withInstructions;
  }
  return body;
}

/** The last entry, when it is an assistant prefill the model continues from: never rewritten. */
export function isPrefill(messages: readonly unknown[], index: number): boolean {
  return (
    index === messages.length - 1 && isRecord(messages[index]) && messages[index]['role'] === 'assistant'
  );
}
