import { headerValue, type HeaderSource } from './headers.ts';
import { rateLimitResetMs } from './rate-limit-hints.ts';

export { RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';

/**
 * Whether a failed response is worth sending again. Mirrors shouldRetry in the openai and
 * @anthropic-ai/sdk clients, so that the proxy retries exactly what a direct SDK call would:
 * an explicit `x-should-retry` wins; otherwise 408, 409 (lock timeouts), 429 and every 5xx,
 * which includes Anthropic's 529 "overloaded". Successes are never retried.
 */
export function retryableStatus(status: number, headers?: HeaderSource | null): boolean {
  if (status < 400) return false;
  const verdict = headerValue(headers, 'x-should-retry');
  if (verdict === 'true') return true;
  if (verdict === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Failures that happen before any response and are likely to pass on a second try. ENOTFOUND
 * is not among them: a name that does not resolve is a configuration mistake, not a blip.
 */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'APEX_UPSTREAM_TIMEOUT',
]);

/**
 * Whether a transport error (thrown before a response arrived) is worth another try.
 * APEX_UPSTREAM_TIMEOUT only rejects UpstreamTarget.send() before the response headers, so it
 * is a connect or first-byte timeout there; a caller that raises it later, mid-body, marks the
 * error with `phase: 'body'` so it is not retried. A `TimeoutError` is an attempt's own timeout
 * (see attemptSignal), which the overall deadline still bounds.
 */
export function retryableError(error: unknown): boolean {
  if (errorPhase(error) === 'body') return false;
  if (errorName(error) === 'TimeoutError') return true;
  return errorCodes(error).some((code) => RETRYABLE_CODES.has(code));
}

/**
 * Every `code` on the error and its causes: fetch wraps the socket's error as `cause` of a
 * TypeError, and Node's happy-eyeballs connect reports an AggregateError of per-address errors.
 */
export function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const codes = typeof code === 'string' ? [code] : [];
  codes.push(...errorCodes(cause, depth + 1));
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...errorCodes(inner, depth + 1));
  return codes;
}

export function errorName(error: unknown): string | null {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : null;
}

function errorPhase(error: unknown): unknown {
  return (error as { phase?: unknown } | null)?.phase;
}

export interface RetryDelayOptions {
  /** First backoff ceiling (default 500 ms). */
  baseMs?: number;
  /** Growth of the ceiling per retry (default 2). */
  factor?: number;
  /** Largest backoff ceiling (default 8 s). */
  capMs?: number;
  /** Longest server-requested wait worth sitting out here (default 60 s); beyond it, fail over. */
  maxRetryAfterMs?: number;
  now?: () => number;
  random?: () => number;
}

/**
 * How long to wait before retry number `attempt` (0 for the first retry), or null when the
 * upstream asks for a longer wait than `maxRetryAfterMs`: the caller should then fail over
 * to another deployment, or give up, rather than hold the request open.
 *
 * A server's retry-after-ms / retry-after is obeyed as is. Without one, the delay is
 * exponential backoff with full jitter (uniform in [0, ceiling)), which spreads a burst of
 * retries best: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.
 * Rate-limit reset headers then only lengthen that delay.
 */
export function retryDelayMs(
  attempt: number,
  headers: HeaderSource | null | undefined,
  options: RetryDelayOptions = {},
): number | null {
  const now = (options.now ?? Date.now)();
  const random = options.random ?? Math.random;
  const maxWait = options.maxRetryAfterMs ?? 60_000;
  const told = headers ? retryAfterMs(headers, now) : null;
  if (told !== null) return told > maxWait ? null : Math.ceil(told);
  const backoff = backoffMs(attempt, options, random);
  const hint = headers ? rateLimitResetMs(headers, now) : null;
  if (hint === null) return backoff;
  if (hint > maxWait) return null;
  // A little jitter on top, so that clients told the same reset time do not all return at once.
  return Math.max(backoff, Math.ceil(hint * (1 + 0.1 * random())));
}

function backoffMs(attempt: number, options: RetryDelayOptions, random: () => number): number {
  const base = options.baseMs ?? 500;
  const ceiling = Math.min(options.capMs ?? 8_000, base * (options.factor ?? 2) ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * The wait the server asked for, in ms: `retry-after-ms` (Azure OpenAI, and read by both SDKs),
 * else `retry-after` as seconds or an HTTP date. A date already past is ignored rather than read
 * as "now", as the SDKs do: it more likely means clock skew than an invitation to hammer.
 */
export function retryAfterMs(headers: HeaderSource, now: number): number | null {
  const millis = nonNegative(headerValue(headers, 'retry-after-ms'));
  if (millis !== null) return millis;
  const value = headerValue(headers, 'retry-after');
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) || at < now ? null : at - now;
}

function nonNegative(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : null;
}
