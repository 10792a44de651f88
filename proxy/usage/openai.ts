import type { TokenUsage } from '../../contracts/usage.ts';
import { isRecord, nestedCount, tokenCount, within } from './fields.ts';

/**
 * OpenAI-style usage -> TokenUsage. OpenAI's prompt/input counts already
 * include cached tokens and its completion/output counts include reasoning,
 * which is exactly TokenUsage's convention; only the parts need reading.
 */

/**
 * Chat completions, legacy completions and embeddings:
 * { prompt_tokens, completion_tokens?, total_tokens,
 *   prompt_tokens_details?: { cached_tokens, cache_write_tokens? },
 *   completion_tokens_details?: { reasoning_tokens } }.
 * Also reads DeepSeek's prompt_cache_hit_tokens, its name for cached tokens.
 */
export function usageFromOpenAI(u: unknown): TokenUsage | null {
  if (!isRecord(u)) return null;
  const prompt = tokenCount(u.prompt_tokens);
  const completion = tokenCount(u.completion_tokens) ?? outputFromTotal(u, prompt);
  if (prompt === null && completion === null) return null;
  const promptDetails = u.prompt_tokens_details;
  return buildUsage({
    input: prompt ?? 0,
    output: completion ?? 0,
    cached: nestedCount(promptDetails, 'cached_tokens') ?? tokenCount(u.prompt_cache_hit_tokens),
    cacheWrite: nestedCount(promptDetails, 'cache_write_tokens'),
    reasoning: nestedCount(u.completion_tokens_details, 'reasoning_tokens'),
  });
}

/**
 * Responses API: { input_tokens, output_tokens, total_tokens,
 *   input_tokens_details: { cached_tokens, cache_write_tokens? },
 *   output_tokens_details: { reasoning_tokens } }.
 */
export function usageFromOpenAIResponses(u: unknown): TokenUsage | null {
  if (!isRecord(u)) return null;
  const input = tokenCount(u.input_tokens);
  const output = tokenCount(u.output_tokens);
  if (input === null && output === null) return null;
  return buildUsage({
    input: input ?? 0,
    output: output ?? 0,
    cached: nestedCount(u.input_tokens_details, 'cached_tokens'),
    cacheWrite: nestedCount(u.input_tokens_details, 'cache_write_tokens'),
    reasoning: nestedCount(u.output_tokens_details, 'reasoning_tokens'),
  });
}

interface OpenAICounts {
  input: number;
  output: number;
  cached: number | null;
  cacheWrite: number | null;
  reasoning: number | null;
}

/** Parts are clamped into their totals: a provider's inconsistency must not inflate the bill. */
function buildUsage(counts: OpenAICounts): TokenUsage {
  const cachedInputTokens = within(counts.cached, counts.input);
  return {
    inputTokens: counts.input,
    outputTokens: counts.output,
    cachedInputTokens,
    cacheWriteTokens: within(counts.cacheWrite, counts.input - cachedInputTokens),
    cacheWrite1hTokens: 0,
    reasoningTokens: within(counts.reasoning, counts.output),
  };
}

/** Some OpenAI-compatible servers omit completion_tokens but send the total. */
function outputFromTotal(u: Record<string, unknown>, prompt: number | null): number | null {
  const total = tokenCount(u.total_tokens);
  if (total === null || prompt === null) return null;
  return Math.max(0, total - prompt);
}
