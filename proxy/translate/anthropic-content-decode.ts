/**
 * Anthropic content blocks -> IR parts, for request messages, the system prompt and response content.
 * Reference: Anthropic API reference "Messages" (https://docs.anthropic.com/en/api/messages) and the
 * block types of @anthropic-ai/sdk resources/messages/messages.ts: TextBlockParam, ImageBlockParam
 * (Base64ImageSource, URLImageSource), ToolUseBlockParam, ToolResultBlockParam, ThinkingBlockParam,
 * RedactedThinkingBlockParam.
 */
import { isRecord } from '../../common/json.ts';
import { label, lookup } from './anthropic-lookup.ts';
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

export type AnswerPart = TextPart | ToolCallPart | ThinkingPart;
type Block = Record<string, unknown>;

/** Tool names by tool_use id, so a tool_result can name its tool (Gemini matches results by name). */
type ToolNames = Map<string, string>;

export function decodeSystem(raw: unknown): TextPart[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return [{ type: 'text', text: raw }];
  if (!Array.isArray(raw))
    throw new TranslationError('system must be a string or an array of text blocks', 'system');
  return raw.map((block: unknown, i) => {
    const part = isRecord(block) && block.type === 'text' ? decodeText(block) : null;
    if (part === null) throw new TranslationError(`system.${i} must be a text block`, 'system');
    return part;
  });
}

export function decodeMessages(raw: unknown): ChatMessage[] {
  if (!Array.isArray(raw)) throw new TranslationError('messages must be an array', 'messages');
  const toolNames: ToolNames = new Map();
  return raw.map((message: unknown, i) => decodeMessage(message, `messages.${i}`, toolNames));
}

function decodeMessage(raw: unknown, where: string, toolNames: ToolNames): ChatMessage {
  if (!isRecord(raw)) throw new TranslationError(`${where} must be an object`, 'messages');
  const role = raw.role;
  if (role !== 'user' && role !== 'assistant') {
    throw new TranslationError(`${where}.role must be user or assistant`, 'messages');
  }
  if (typeof raw.content === 'string') return { role, content: [{ type: 'text', text: raw.content }] };
  if (!Array.isArray(raw.content)) {
    throw new TranslationError(`${where}.content must be a string or an array of blocks`, 'messages');
  }
  const content = raw.content.map((block: unknown, j) =>
    decodeBlock(block, `${where}.content.${j}`, toolNames),
  );
  return { role, content };
}

function decodeBlock(block: unknown, where: string, toolNames: ToolNames): ContentPart {
  if (!isRecord(block)) throw new TranslationError(`${where} must be an object`, 'messages');
  const part = decodeKnownBlock(block, where, toolNames);
  if (part === undefined) {
    throw new TranslationError(
      `${where}: content block type ${label(block.type)} cannot be translated`,
      'messages',
    );
  }
  if (part === null) throw new TranslationError(`${where}: malformed ${label(block.type)} block`, 'messages');
  if (part.type === 'tool_call') toolNames.set(part.id, part.name);
  return part;
}

/** undefined: a block type the IR cannot carry; null: a known type with missing or mistyped fields. */
function decodeKnownBlock(block: Block, where: string, toolNames: ToolNames): ContentPart | null | undefined {
  if (block.type === 'image') return decodeImage(block);
  if (block.type === 'tool_result') return decodeToolResult(block, where, toolNames);
  const decode = lookup(ANSWER_DECODERS, block.type);
  return decode === undefined ? undefined : decode(block);
}

/**
 * A response block -> IR part, or null for blocks the IR does not carry (server tool use and its
 * results, container uploads): an answer is kept without them rather than refused whole.
 */
export function decodeAnswerBlock(block: unknown): AnswerPart | null {
  if (!isRecord(block)) return null;
  const decode = lookup(ANSWER_DECODERS, block.type);
  return decode === undefined ? null : decode(block);
}

const ANSWER_DECODERS: Record<string, (block: Block) => AnswerPart | null> = {
  text: decodeText,
  tool_use: decodeToolUse,
  thinking: decodeThinking,
  redacted_thinking: decodeRedactedThinking,
};

/** Citations are dropped: the IR has no place for them and the text itself is unchanged. */
function decodeText(block: Block): TextPart | null {
  if (typeof block.text !== 'string') return null;
  const part: TextPart = { type: 'text', text: block.text };
  // The TTL of cache_control ("5m" / "1h") has no IR field; only the breakpoint's position survives.
  if (isRecord(block.cache_control)) part.cacheBreakpoint = true;
  return part;
}

function decodeToolUse(block: Block): ToolCallPart | null {
  if (typeof block.id !== 'string' || typeof block.name !== 'string') return null;
  const input = block.input ?? {};
  if (!isRecord(input)) return null;
  return { type: 'tool_call', id: block.id, name: block.name, arguments: JSON.stringify(input) };
}

/** An empty signature (what encoders write for unsigned thinking) means none. */
function decodeThinking(block: Block): ThinkingPart | null {
  if (typeof block.thinking !== 'string') return null;
  const signature = typeof block.signature === 'string' && block.signature !== '' ? block.signature : null;
  return { type: 'thinking', text: block.thinking, signature };
}

function decodeRedactedThinking(block: Block): ThinkingPart | null {
  if (typeof block.data !== 'string') return null;
  return { type: 'thinking', text: '', signature: null, redacted: block.data };
}

/** File sources (Files API ids) are refused: the IR carries only inline data and URLs. */
function decodeImage(block: Block): ImagePart | null {
  const source = block.source;
  if (!isRecord(source)) return null;
  if (source.type === 'base64' && typeof source.media_type === 'string' && typeof source.data === 'string') {
    return { type: 'image', source: { kind: 'base64', mediaType: source.media_type, data: source.data } };
  }
  if (source.type === 'url' && typeof source.url === 'string') {
    return { type: 'image', source: { kind: 'url', url: source.url } };
  }
  return null;
}

function decodeToolResult(block: Block, where: string, toolNames: ToolNames): ToolResultPart | null {
  if (typeof block.tool_use_id !== 'string') return null;
  const content = decodeToolResultContent(block.content, `${where}.content`);
  if (isRecord(block.cache_control)) markLastText(content);
  return {
    type: 'tool_result',
    toolCallId: block.tool_use_id,
    name: toolNames.get(block.tool_use_id) ?? null,
    content,
    isError: block.is_error === true,
  };
}

/**
 * Agents usually put their rolling cache breakpoint on the last block of the conversation, often
 * a tool_result. The IR keeps breakpoints only on text, so it moves to the result's last text part:
 * the cached prefix then ends at the same place, just inside the block instead of after it.
 */
function markLastText(content: Array<TextPart | ImagePart>): void {
  const last = content[content.length - 1];
  if (last?.type === 'text') last.cacheBreakpoint = true;
}

function decodeToolResultContent(raw: unknown, where: string): Array<TextPart | ImagePart> {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') return [{ type: 'text', text: raw }];
  if (!Array.isArray(raw))
    throw new TranslationError(`${where} must be a string or an array of blocks`, 'messages');
  return raw.map((block: unknown, k) => {
    const part = !isRecord(block)
      ? null
      : block.type === 'text'
        ? decodeText(block)
        : decodeResultImage(block);
    if (part === null) {
      throw new TranslationError(
        `${where}.${k}: tool results may hold only text and image blocks`,
        'messages',
      );
    }
    return part;
  });
}

function decodeResultImage(block: Block): ImagePart | null {
  return block.type === 'image' ? decodeImage(block) : null;
}
