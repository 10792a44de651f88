/**
 * Error replies in each provider's own format, and the injected failures
 * (rate limits, server errors, overload) that make the demo show retries and
 * error rates the way production traffic does.
 */
import type { IncomingMessage } from 'node:http';
import type { Headers } from './http.ts';
import type { Rng } from './random.ts';

export type FailureKind = 'rate_limit' | 'server_error' | 'overloaded';

/**
 * Lets a caller force a failure (for proxy retry/failover tests) with a FailureKind as its value, or
 * rule out the random ones with `none` (for tests that count requests).
 */
export const FORCE_FAILURE_HEADER = 'x-simulator-fail';

const FAILURE_MIX: Record<FailureKind, number> = { rate_limit: 0.6, server_error: 0.2, overloaded: 0.2 };

export interface ErrorReply {
  status: number;
  body: unknown;
  headers: Headers;
}

function forcedFailure(req: IncomingMessage): FailureKind | undefined {
  const value = req.headers[FORCE_FAILURE_HEADER];
  return value === 'rate_limit' || value === 'server_error' || value === 'overloaded' ? value : undefined;
}

export function chooseFailure(rng: Rng, errorRate: number, req: IncomingMessage): FailureKind | undefined {
  const forced = forcedFailure(req);
  if (forced) return forced;
  if (req.headers[FORCE_FAILURE_HEADER] === 'none') return undefined;
  if (errorRate <= 0 || !rng.chance(errorRate)) return undefined;
  return rng.weighted(FAILURE_MIX);
}

export function openaiError(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): ErrorReply {
  return { status, body: { error: { message, type, param, code } }, headers: {} };
}

export function anthropicError(status: number, type: string, message: string, requestId: string): ErrorReply {
  return { status, body: { type: 'error', error: { type, message }, request_id: requestId }, headers: {} };
}

export function openaiFailure(
  kind: FailureKind,
  model: string,
  retryAfterSeconds: number,
  tokens: number,
): ErrorReply {
  switch (kind) {
    case 'rate_limit': {
      const message =
        `Rate limit reached for ${model} in organization org-simulated on tokens per min (TPM): ` +
        `Limit 800000, Used ${800000 - Math.min(tokens, 800000) + 1}, Requested ${tokens}. ` +
        `Please try again in ${retryAfterSeconds}s. ` +
        'Visit https://platform.openai.com/account/rate-limits to learn more.';
      const reply = openaiError(429, message, 'tokens', 'rate_limit_exceeded');
      return { ...reply, headers: { 'retry-after': String(retryAfterSeconds) } };
    }
    case 'server_error':
      return openaiError(
        500,
        'The server had an error while processing your request. Sorry about that!',
        'server_error',
      );
    case 'overloaded':
      return openaiError(
        503,
        'The model is currently overloaded with other requests. You can retry your request.',
        'server_error',
      );
  }
}

export function anthropicFailure(
  kind: FailureKind,
  retryAfterSeconds: number,
  requestId: string,
): ErrorReply {
  switch (kind) {
    case 'rate_limit': {
      const message =
        'This request would exceed the rate limit for your organization of 2,000,000 input tokens per minute. ' +
        'Please reduce the prompt length or the maximum tokens requested, or try again later.';
      const reply = anthropicError(429, 'rate_limit_error', message, requestId);
      return { ...reply, headers: { 'retry-after': String(retryAfterSeconds) } };
    }
    case 'server_error':
      return anthropicError(500, 'api_error', 'Internal server error', requestId);
    case 'overloaded':
      return anthropicError(529, 'overloaded_error', 'Overloaded', requestId);
  }
}
