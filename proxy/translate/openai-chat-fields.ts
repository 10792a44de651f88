/**
 * Small readers and value maps shared by the OpenAI Chat Completions codec's halves. Readers
 * take untyped JSON and throw only TranslationError, naming the request parameter at fault.
 */
import { isRecord } from '../../common/json.ts';
import type { TokenUsage } from '../../contracts/usage.ts';
import { TranslationError } from './ir.ts';
import type { StopReason, TextPart } from './ir.ts';

/** body[key] as a finite number; absent or null is null, anything else a 400 naming key. */
export function optionalNumber(body: Record<string, unknown>, key: string): number | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TranslationError(`${key} must be a number`, key);
}

/** Token limits: a non-negative integer. */
export function optionalInteger(body: Record<string, unknown>, key: string): number | null {
  const value = optionalNumber(body, key);
  if (value === null || (Number.isSafeInteger(value) && value >= 0)) return value;
  throw new TranslationError(`${key} must be a non-negative integer`, key);
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  throw new TranslationError(`${key} must be a boolean`, key);
}

export function optionalString(body: Record<string, unknown>, key: string): string | null {
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  throw new TranslationError(`${key} must be a string`, key);
}

/**
 * `content` of system, developer and tool messages: a string or an array of text parts. Empty
 * strings are dropped because Anthropic rejects empty text blocks.
 */
export function decodeTextContent(content: unknown, param: string): TextPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw new TranslationError(`${param} must be a string or an array`, param);
  return content.flatMap((part, j): TextPart[] => {
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') {
      throw new TranslationError(`${param}[${j}] must be a text part`, `${param}[${j}]`);
    }
    return part.text === '' ? [] : [{ type: 'text', text: part.text }];
  });
}

/**
 * reasoning_effort <-> IR thinking budget. OpenAI only has effort levels; the budgets are the
 * ones Anthropic and Gemini reasoning guides use for comparable depth, and 1024 is Anthropic's
 * minimum. 'none' turns reasoning off (null). Encoding emits only low/medium/high, the levels
 * every OpenAI reasoning model and OpenAI-compatible reasoner accepts, so minimal decodes like
 * low and xhigh/max like high on the way back.
 */
export const EFFORT_BUDGETS: Readonly<Record<string, number | null>> = Object.freeze({
  none: null,
  minimal: 1024,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 32768,
});

export function budgetFromEffort(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && Object.hasOwn(EFFORT_BUDGETS, value)) return EFFORT_BUDGETS[value] ?? null;
  throw new TranslationError(
    `reasoning_effort ${JSON.stringify(value)} is not supported`,
    'reasoning_effort',
  );
}

/** Budgets between the canonical ones go to the nearer level (boundaries roughly geometric). */
export function effortFromBudget(budget: number | null): string | null {
  if (budget === null || budget <= 0) return null;
  if (budget < 4096) return 'low';
  if (budget < 16384) return 'medium';
  return 'high';
}

export interface StopInfo {
  stopReason: StopReason;
  stopSequence: string | null;
}

/**
 * finish_reason -> IR. OpenAI reports a matched stop sequence as plain 'stop'; vLLM adds the
 * sequence itself as choices[].stop_reason, which is kept when it is a string. A refusal message
 * also ends with 'stop', so the caller says whether one was seen.
 */
export function stopFromFinish(finish: unknown, matched: unknown, refused: boolean): StopInfo {
  if (finish === 'length') return { stopReason: 'max_tokens', stopSequence: null };
  if (finish === 'tool_calls' || finish === 'function_call')
    return { stopReason: 'tool_use', stopSequence: null };
  if (finish === 'content_filter') return { stopReason: 'content_filter', stopSequence: null };
  if (refused) return { stopReason: 'refusal', stopSequence: null };
  if (typeof matched === 'string') return { stopReason: 'stop_sequence', stopSequence: matched };
  return { stopReason: 'end_turn', stopSequence: null };
}

const FINISH_REASONS: Readonly<Record<StopReason, string>> = Object.freeze({
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  content_filter: 'content_filter',
  // OpenAI ends a refusal with 'stop' and carries it in message.refusal.
  refusal: 'stop',
});

export function finishFromStop(reason: StopReason): string {
  return FINISH_REASONS[reason];
}

/**
 * TokenUsage -> OpenAI usage. prompt_tokens already is the whole prompt and completion_tokens
 * includes reasoning, as in TokenUsage. OpenAI has one cache-write count, so both write TTLs
 * are summed into cache_write_tokens, which is sent only when non-zero.
 */
export function encodeUsage(usage: TokenUsage): Record<string, unknown> {
  const cacheWrite = usage.cacheWriteTokens + usage.cacheWrite1hTokens;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cachedInputTokens,
      ...(cacheWrite > 0 ? { cache_write_tokens: cacheWrite } : {}),
    },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/** A Unix-seconds timestamp, or 0 when the upstream sent none. */
export function unixSeconds(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
