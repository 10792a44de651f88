/**
 * Anthropic Message object <-> IR ChatResponse, plus the stop-reason, usage and error-type
 * vocabularies the stream codec shares.
 * Reference: Anthropic API reference "Create a Message" response (https://docs.anthropic.com/en/api/messages),
 * "Errors" (https://docs.anthropic.com/en/api/errors) and @anthropic-ai/sdk Message, StopReason,
 * Usage, CacheCreation, OutputTokensDetails, ErrorType.
 */
import { isRecord } from '../../common/json.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import type { TokenUsage } from '../../contracts/usage.ts';
import { usageFromAnthropic } from '../usage/anthropic.ts';
import { decodeAnswerBlock, type AnswerPart } from './anthropic-content-decode.ts';
import { encodeAnswerPart } from './anthropic-content-encode.ts';
import { lookup } from './anthropic-lookup.ts';
import { TranslationError } from './ir.ts';
import type { ChatResponse, StopReason } from './ir.ts';

/**
 * pause_turn (a server-tool loop paused, to be resumed by sending the turn back) has no IR value:
 * the answer so far is complete as far as the client can tell. model_context_window_exceeded is a
 * length stop like max_tokens.
 */
const STOP_FROM_WIRE: Record<string, StopReason> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  refusal: 'refusal',
  pause_turn: 'end_turn',
  model_context_window_exceeded: 'max_tokens',
};

/** Anthropic's only filter stop is refusal (its classifiers intervened), so content_filter maps there. */
const STOP_TO_WIRE: Record<StopReason, string> = {
  end_turn: 'end_turn',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_use: 'tool_use',
  content_filter: 'refusal',
  refusal: 'refusal',
};

export function stopReasonFromWire(value: unknown): StopReason {
  return lookup(STOP_FROM_WIRE, value) ?? 'end_turn';
}

export function stopReasonToWire(reason: StopReason): string {
  return STOP_TO_WIRE[reason];
}

const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export function errorStatus(type: unknown): number {
  return lookup(ERROR_STATUS, type) ?? 500;
}

/** Any status without an Anthropic type of its own is reported as api_error, the generic one. */
export function errorType(status: number): string {
  const match = Object.entries(ERROR_STATUS).find(([, code]) => code === status);
  return match?.[0] ?? 'api_error';
}

/**
 * IR usage -> Anthropic usage. Anthropic's input_tokens excludes cache reads and writes, which the
 * IR counts in inputTokens, so they are taken back out; cache_creation splits writes by TTL.
 */
export function encodeUsage(usage: TokenUsage): Record<string, unknown> {
  const writes = usage.cacheWriteTokens + usage.cacheWrite1hTokens;
  const encoded: Record<string, unknown> = {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - writes),
    cache_creation_input_tokens: writes,
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheWriteTokens,
      ephemeral_1h_input_tokens: usage.cacheWrite1hTokens,
    },
    output_tokens: usage.outputTokens,
  };
  if (usage.reasoningTokens > 0) encoded.output_tokens_details = { thinking_tokens: usage.reasoningTokens };
  return encoded;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The Message carries no creation time, so the IR gets the time it was received. */
export function decodeResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || body.type !== 'message' || !Array.isArray(body.content)) {
    throw new TranslationError('the upstream answer is not an Anthropic message', null);
  }
  const content = body.content.map(decodeAnswerBlock).filter((part): part is AnswerPart => part !== null);
  return {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    content,
    stopReason: stopReasonFromWire(body.stop_reason),
    stopSequence: typeof body.stop_sequence === 'string' ? body.stop_sequence : null,
    usage: usageFromAnthropic(body.usage) ?? { ...ZERO_USAGE },
    created: nowSeconds(),
  };
}

/** created has no field in a Message and is dropped; so are stop_details and container (not in the IR). */
export function encodeResponse(response: ChatResponse): Record<string, unknown> {
  return {
    id: response.id,
    type: 'message',
    role: 'assistant',
    model: response.model,
    content: response.content.map(encodeAnswerPart),
    stop_reason: stopReasonToWire(response.stopReason),
    stop_sequence: response.stopSequence,
    usage: encodeUsage(response.usage),
  };
}
