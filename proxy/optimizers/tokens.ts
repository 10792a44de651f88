import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Prompt-token estimates with the o200k_base encoding (GPT-4o and later). Other vendors tokenize
 * differently, so these are estimates for sizing and savings reports, never for billing.
 *
 * gpt-tokenizer keeps its own bounded merge cache; nothing here caches globally. Callers that
 * estimate the same texts repeatedly (the compressor) pass their own per-request memo as `count`.
 */

export type TokenEndpoint = 'chat' | 'messages' | 'responses';
export type TextCounter = (text: string) => number;

// Text that happens to contain "<|endoftext|>" is still just text; the default would throw.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** OpenAI's published accounting adds about three tokens of framing per message. */
export const MESSAGE_OVERHEAD_TOKENS = 3;

/**
 * Keys whose values are identifiers, binary payloads or transport markers, not text the model
 * reads as such. Images, audio and files are skipped: their cost depends on dimensions or
 * pages we cannot know from the request alone.
 */
const NON_TEXT_KEYS = new Set([
  'type',
  'role',
  'id',
  'call_id',
  'tool_call_id',
  'tool_use_id',
  'cache_control',
  'status',
  'signature',
  'encrypted_content',
  'image_url',
  'input_audio',
  'source',
  'data',
  'file_data',
  'file_id',
  'file_url',
  'detail',
]);

export function estimateTextTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, AS_PLAIN_TEXT);
}

/** Tokens of every text a message carries: text parts, tool call arguments and tool results. */
export function estimateMessageTokens(message: unknown, count: TextCounter = estimateTextTokens): number {
  return MESSAGE_OVERHEAD_TOKENS + textTokens(message, count);
}

function textTokens(value: unknown, count: TextCounter): number {
  if (typeof value === 'string') return count(value);
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + textTokens(item, count), 0);
  if (value === null || typeof value !== 'object') return 0;
  let sum = 0;
  for (const [key, child] of Object.entries(value)) {
    if (NON_TEXT_KEYS.has(key)) continue;
    // Anthropic tool_use input is an object the model reads as JSON, keys included.
    if (key === 'input' && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      sum += count(JSON.stringify(child));
    } else {
      sum += textTokens(child, count);
    }
  }
  return sum;
}

function definitionTokens(tools: unknown, count: TextCounter): number {
  return Array.isArray(tools) && tools.length > 0 ? count(JSON.stringify(tools)) : 0;
}

function conversationTokens(conversation: unknown, count: TextCounter): number {
  if (typeof conversation === 'string') return estimateMessageTokens(conversation, count);
  if (!Array.isArray(conversation)) return 0;
  return conversation.reduce<number>((sum, message) => sum + estimateMessageTokens(message, count), 0);
}

/**
 * Estimated prompt tokens of a request body: system prompt or instructions, every message or
 * input item, and the tool definitions as the JSON they are sent as.
 */
export function estimatePromptTokens(
  endpoint: TokenEndpoint,
  body: Record<string, unknown>,
  count: TextCounter = estimateTextTokens,
): number {
  switch (endpoint) {
    case 'chat':
      return (
        conversationTokens(body['messages'], count) +
        definitionTokens(body['tools'], count) +
        definitionTokens(body['functions'], count)
      );
    case 'messages':
      return (
        (body['system'] === undefined ? 0 : estimateMessageTokens(body['system'], count)) +
        conversationTokens(body['messages'], count) +
        definitionTokens(body['tools'], count)
      );
    case 'responses':
      return (
        (typeof body['instructions'] === 'string' ? estimateMessageTokens(body['instructions'], count) : 0) +
        conversationTokens(body['input'], count) +
        definitionTokens(body['tools'], count)
      );
  }
}

/** A per-request memo, so re-estimating a body after small edits only tokenizes changed texts. */
export function memoizedCounter(): TextCounter {
  const seen = new Map<string, number>();
  return (text) => {
    let tokens = seen.get(text);
    if (tokens === undefined) {
      tokens = estimateTextTokens(text);
      seen.set(text, tokens);
    }
    return tokens;
  };
}
