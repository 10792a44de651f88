import type { TokenUsage } from '../../contracts/usage.ts';
import { isRecord, nestedCount, tokenCount, within } from './fields.ts';

/**
 * Anthropic usage -> TokenUsage. Anthropic's input_tokens counts only the
 * uncached remainder of the prompt: cache reads (cache_read_input_tokens) and
 * writes (cache_creation_input_tokens) come on top, and are added back here so
 * inputTokens is the whole prompt. cache_creation splits the writes by TTL.
 */
export function usageFromAnthropic(u: unknown): TokenUsage | null {
  if (!isRecord(u)) return null;
  const uncached = tokenCount(u.input_tokens);
  const output = tokenCount(u.output_tokens);
  if (uncached === null && output === null) return null;
  const cacheReads = tokenCount(u.cache_read_input_tokens) ?? 0;
  const writes = splitCacheWrites(tokenCount(u.cache_creation_input_tokens), u.cache_creation);
  const outputTokens = output ?? 0;
  return {
    inputTokens: (uncached ?? 0) + cacheReads + writes.fiveMinute + writes.oneHour,
    outputTokens,
    cachedInputTokens: cacheReads,
    cacheWriteTokens: writes.fiveMinute,
    cacheWrite1hTokens: writes.oneHour,
    reasoningTokens: within(nestedCount(u.output_tokens_details, 'thinking_tokens'), outputTokens),
  };
}

/**
 * Without a breakdown every write is a 5-minute one (the default TTL). With
 * one, any excess of the reported total over the breakdown is still billed,
 * at the 5-minute rate, rather than dropped.
 */
function splitCacheWrites(total: number | null, breakdown: unknown): { fiveMinute: number; oneHour: number } {
  const fiveMinute = nestedCount(breakdown, 'ephemeral_5m_input_tokens');
  const oneHour = nestedCount(breakdown, 'ephemeral_1h_input_tokens') ?? 0;
  if (fiveMinute === null && oneHour === 0) return { fiveMinute: total ?? 0, oneHour: 0 };
  const whole = Math.max(total ?? 0, (fiveMinute ?? 0) + oneHour);
  return { fiveMinute: whole - oneHour, oneHour };
}

/** Collects a streamed message's usage from message_start and message_delta events. */
export interface AnthropicStreamUsage {
  /** The message_start event's `message` (or the whole event). */
  onMessageStart(message: unknown): void;
  /** A message_delta event's `usage` (or the whole event); its counts are cumulative and override. */
  onMessageDelta(usage: unknown): void;
  result(): TokenUsage | null;
  model(): string | null;
}

const OVERRIDABLE_COUNTS = [
  'input_tokens',
  'output_tokens',
  'cache_read_input_tokens',
  'cache_creation_input_tokens',
] as const;
const OVERRIDABLE_OBJECTS = ['cache_creation', 'output_tokens_details'] as const;

export function createAnthropicStreamUsage(): AnthropicStreamUsage {
  let usage: Record<string, unknown> | null = null;
  let model: string | null = null;
  return {
    onMessageStart(message) {
      const start = unwrap(message, 'message_start', 'message');
      if (!isRecord(start)) return;
      if (typeof start.model === 'string') model = start.model;
      if (isRecord(start.usage)) usage = { ...start.usage };
    },
    onMessageDelta(delta) {
      const counts = unwrap(delta, 'message_delta', 'usage');
      if (isRecord(counts)) usage = mergeDelta(usage ?? {}, counts);
    },
    result: () => usageFromAnthropic(usage),
    model: () => model,
  };
}

/**
 * Deltas carry cumulative counts; newer API versions repeat the input and
 * cache counts there too. Only real values override: a null or absent field
 * in a delta keeps what message_start said.
 */
function mergeDelta(usage: Record<string, unknown>, delta: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...usage };
  for (const key of OVERRIDABLE_COUNTS) {
    if (tokenCount(delta[key]) !== null) merged[key] = delta[key];
  }
  for (const key of OVERRIDABLE_OBJECTS) {
    if (isRecord(delta[key])) merged[key] = delta[key];
  }
  return merged;
}

/** Accepts either the inner object or the whole SSE event that carries it. */
function unwrap(value: unknown, eventType: string, key: string): unknown {
  return isRecord(value) && value.type === eventType ? value[key] : value;
}
