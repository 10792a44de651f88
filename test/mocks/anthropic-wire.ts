/**
 * Anthropic wire pieces shared by every endpoint: usage, response headers,
 * error bodies, the models list and token counting.
 *
 * References:
 * - Usage: https://docs.anthropic.com/en/api/messages (response `usage`:
 *   input_tokens, cache_creation_input_tokens, cache_read_input_tokens,
 *   cache_creation {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens},
 *   output_tokens, service_tier) and the prompt-caching guide; `input_tokens`
 *   excludes the cache reads and writes.
 * - Errors: https://docs.anthropic.com/en/api/errors, body
 *   `{"type":"error","error":{"type","message"},"request_id"}` with the
 *   documented status/type pairs, and a `request-id` header on every response.
 * - Rate limits: https://docs.anthropic.com/en/api/rate-limits, the
 *   `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`
 *   headers (resets are RFC 3339 timestamps) and `retry-after` in seconds on 429.
 * - Models: https://docs.anthropic.com/en/api/models-list (`data`, `has_more`,
 *   `first_id`, `last_id`; entries `{type:'model', id, display_name, created_at}`).
 * - Token counting: https://docs.anthropic.com/en/api/messages-count-tokens (`{input_tokens}`).
 */
import type { JsonReply, ReplyHeaders } from '../support/mock-upstream.ts';
import { randomId } from './wire-common.ts';

export interface AnthropicUsageSpec {
  /** Uncached input tokens only, as the API counts them. */
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
}

export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens: number;
  service_tier: 'standard' | 'priority' | 'batch';
}

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export interface AnthropicErrorOptions {
  /** Seconds for `retry-after` (sent on 429 unless given explicitly); default 1. */
  retryAfterSeconds?: number;
  headers?: ReplyHeaders;
}

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-6';
export const DEFAULT_ANTHROPIC_USAGE: Readonly<AnthropicUsageSpec> = Object.freeze({ input: 21, output: 9 });

export function anthropicUsage(spec: AnthropicUsageSpec): AnthropicUsage {
  const write5m = spec.cacheWrite5m ?? 0;
  const write1h = spec.cacheWrite1h ?? 0;
  return {
    input_tokens: spec.input,
    cache_creation_input_tokens: write5m + write1h,
    cache_read_input_tokens: spec.cacheRead ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h },
    output_tokens: spec.output,
    service_tier: 'standard',
  };
}

export function anthropicRequestId(): string {
  return randomId('req_011C', 20);
}

function rateLimitFamily(name: string, limit: number, remaining: number, reset: string): ReplyHeaders {
  return {
    [`anthropic-ratelimit-${name}-limit`]: String(limit),
    [`anthropic-ratelimit-${name}-remaining`]: String(remaining),
    [`anthropic-ratelimit-${name}-reset`]: reset,
  };
}

/** The rate-limit headers Anthropic sends on Messages responses. */
export function anthropicRateLimitHeaders(exhausted = false): ReplyHeaders {
  const reset = new Date(Date.now() + (exhausted ? 60_000 : 1_000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    ...rateLimitFamily('requests', 4000, exhausted ? 0 : 3999, reset),
    ...rateLimitFamily('input-tokens', 2_000_000, exhausted ? 0 : 1_999_000, reset),
    ...rateLimitFamily('output-tokens', 400_000, exhausted ? 0 : 399_000, reset),
    ...rateLimitFamily('tokens', 2_400_000, exhausted ? 0 : 2_398_000, reset),
  };
}

export function anthropicHeaders(extra: ReplyHeaders = {}): ReplyHeaders {
  return {
    'request-id': anthropicRequestId(),
    'anthropic-organization-id': '00000000-0000-4000-8000-000000000000',
    ...anthropicRateLimitHeaders(),
    ...extra,
  };
}

/** A 200 JSON reply with Anthropic's headers. */
export function anthropicJson(body: unknown, headers: ReplyHeaders = {}): JsonReply {
  return { kind: 'json', status: 200, headers: anthropicHeaders(headers), body };
}

const ERROR_DEFAULTS: Record<number, { type: AnthropicErrorType; message: string }> = {
  400: { type: 'invalid_request_error', message: 'messages: field required' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  402: { type: 'billing_error', message: 'Your credit balance is too low to access the Anthropic API.' },
  403: {
    type: 'permission_error',
    message: 'Your API key does not have permission to use the specified resource.',
  },
  404: { type: 'not_found_error', message: 'Not found' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: {
    type: 'rate_limit_error',
    message: 'This request would exceed the rate limit for your organization.',
  },
  500: { type: 'api_error', message: 'Internal server error' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

function errorDefaults(status: number): { type: AnthropicErrorType; message: string } {
  return ERROR_DEFAULTS[status] ?? ERROR_DEFAULTS[status >= 500 ? 500 : 400]!;
}

export function anthropicError(
  status: number,
  type?: AnthropicErrorType,
  message?: string,
  options: AnthropicErrorOptions = {},
): JsonReply {
  const defaults = errorDefaults(status);
  const requestId = anthropicRequestId();
  const rateLimited = status === 429;
  const retryAfter = options.retryAfterSeconds ?? (rateLimited ? 1 : undefined);
  const headers: ReplyHeaders = {
    'request-id': requestId,
    ...anthropicRateLimitHeaders(rateLimited),
    ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
    ...options.headers,
  };
  const error = { type: type ?? defaults.type, message: message ?? defaults.message };
  return { kind: 'json', status, headers, body: { type: 'error', error, request_id: requestId } };
}

export const DEFAULT_ANTHROPIC_MODELS = ['claude-sonnet-4-6', 'claude-haiku-4-5-20251001', 'claude-opus-4-6'];

/** `claude-haiku-4-5-20251001` becomes `Claude Haiku 4.5`, as the API names its models. */
function displayName(id: string): string {
  const parts = id.split('-').filter((part) => !/^\d{8}$/.test(part));
  const words = parts
    .filter((part) => !/^\d+$/.test(part))
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  const version = parts.filter((part) => /^\d+$/.test(part)).join('.');
  return [...words, version].filter(Boolean).join(' ');
}

export function anthropicModelsList(ids: string[] = DEFAULT_ANTHROPIC_MODELS): JsonReply {
  const data = ids.map((id) => ({
    type: 'model',
    id,
    display_name: displayName(id),
    created_at: '2025-09-29T00:00:00Z',
  }));
  return anthropicJson({ data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null });
}

export function countTokens(inputTokens: number): JsonReply {
  return anthropicJson({ input_tokens: inputTokens });
}
