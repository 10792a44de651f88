/**
 * Bedrock usage, stop reasons and stream exceptions to and from the IR. References: Bedrock API
 * Reference "TokenUsage", "CacheDetail", "ConverseStreamOutput" (exception HTTP status codes), the
 * SDK's StopReason enum, and the Bedrock user guide on prompt caching, which states that inputTokens
 * counts only the non-cached input: the whole prompt is inputTokens + cacheReadInputTokens +
 * cacheWriteInputTokens — the same convention as Anthropic's usage, so usageFromAnthropic applies.
 */
import { ZERO_USAGE, type TokenUsage } from '../../contracts/usage.ts';
import { isRecord } from '../../common/json.ts';
import { usageFromAnthropic } from '../usage/anthropic.ts';
import type { StopReason } from './ir.ts';
import type { BedrockExceptionName, BedrockTokenUsage } from './bedrock-types.ts';

/** Bedrock TokenUsage -> TokenUsage, by renaming to Anthropic's fields (same semantics). */
export function usageFromBedrock(u: unknown): TokenUsage | null {
  if (!isRecord(u)) return null;
  return usageFromAnthropic({
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_read_input_tokens: u.cacheReadInputTokens,
    cache_creation_input_tokens: u.cacheWriteInputTokens,
    cache_creation: cacheCreation(u.cacheDetails),
  });
}

function cacheCreation(details: unknown): Record<string, number> | undefined {
  if (!Array.isArray(details) || details.length === 0) return undefined;
  const byTtl: Record<string, number> = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
  for (const detail of details) {
    if (!isRecord(detail) || typeof detail.inputTokens !== 'number') continue;
    if (!Number.isSafeInteger(detail.inputTokens) || detail.inputTokens < 0) continue;
    const key = detail.ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens';
    byTtl[key] = (byTtl[key] ?? 0) + detail.inputTokens;
  }
  return byTtl;
}

/**
 * TokenUsage -> Bedrock TokenUsage. Cache fields appear only when non-zero (Bedrock omits them
 * without caching); cacheDetails only when 1-hour writes must be told apart from 5-minute ones.
 * totalTokens counts the whole prompt plus output, as Bedrock's does.
 */
export function usageToBedrock(partial: Partial<TokenUsage>): BedrockTokenUsage {
  const usage = { ...ZERO_USAGE, ...partial };
  const writes = usage.cacheWriteTokens + usage.cacheWrite1hTokens;
  const out: BedrockTokenUsage = {
    inputTokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - writes),
    outputTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0) out.cacheReadInputTokens = usage.cachedInputTokens;
  if (writes > 0) out.cacheWriteInputTokens = writes;
  if (usage.cacheWrite1hTokens > 0) {
    out.cacheDetails = [{ ttl: '1h', inputTokens: usage.cacheWrite1hTokens }];
    if (usage.cacheWriteTokens > 0) out.cacheDetails.push({ ttl: '5m', inputTokens: usage.cacheWriteTokens });
  }
  return out;
}

const STOP_FROM_BEDROCK: Record<string, StopReason> = {
  end_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
  // The prompt filled the context window: generation stopped for lack of room, like max_tokens.
  model_context_window_exceeded: 'max_tokens',
  // The model produced a broken tool call: it still stopped in order to call a tool.
  malformed_tool_use: 'tool_use',
};

/** Unknown reasons (and malformed_model_output) read as end_turn: the answer is over either way. */
export function stopReasonFromBedrock(reason: unknown): StopReason {
  return (typeof reason === 'string' && STOP_FROM_BEDROCK[reason]) || 'end_turn';
}

const STOP_TO_BEDROCK: Record<StopReason, string> = {
  end_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  content_filter: 'content_filtered',
  // Bedrock has no refusal reason; a model declining on safety grounds is closest to a filter.
  refusal: 'content_filtered',
};

export function stopReasonToBedrock(reason: StopReason): string {
  return STOP_TO_BEDROCK[reason];
}

/** The HTTP status the reference gives each ConverseStreamOutput exception. */
export const EXCEPTION_STATUS: Record<BedrockExceptionName, number> = {
  internalServerException: 500,
  modelStreamErrorException: 424,
  validationException: 400,
  throttlingException: 429,
  serviceUnavailableException: 503,
};

/** The exception member that best carries an HTTP status; Bedrock streams have no others. */
export function exceptionForStatus(status: number): BedrockExceptionName {
  if (status === 429) return 'throttlingException';
  if (status === 424) return 'modelStreamErrorException';
  if (status === 503 || status === 529) return 'serviceUnavailableException';
  if (status >= 400 && status < 500) return 'validationException';
  return 'internalServerException';
}
