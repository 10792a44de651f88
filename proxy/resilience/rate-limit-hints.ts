import { headerValue, type HeaderSource } from './headers.ts';

/** How a reset header states its time: a Go-style duration (OpenAI) or an RFC 3339 instant (Anthropic). */
type ResetFormat = 'duration' | 'instant';

const LIMITS: readonly (readonly [reset: string, remaining: string, format: ResetFormat])[] = [
  ['x-ratelimit-reset-requests', 'x-ratelimit-remaining-requests', 'duration'],
  ['x-ratelimit-reset-tokens', 'x-ratelimit-remaining-tokens', 'duration'],
  ['anthropic-ratelimit-requests-reset', 'anthropic-ratelimit-requests-remaining', 'instant'],
  ['anthropic-ratelimit-tokens-reset', 'anthropic-ratelimit-tokens-remaining', 'instant'],
  ['anthropic-ratelimit-input-tokens-reset', 'anthropic-ratelimit-input-tokens-remaining', 'instant'],
  ['anthropic-ratelimit-output-tokens-reset', 'anthropic-ratelimit-output-tokens-remaining', 'instant'],
];

const UNIT_MS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
};

/** Parses OpenAI's reset durations ("20ms", "1s", "6m0s", "1h2m3.5s"); null for anything else. */
export function parseDurationMs(text: string): number | null {
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs))+$/.test(text)) return null;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs)/g)) {
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  }
  return total;
}

/**
 * The longest wait, in ms, until the exhausted rate limits refill, or null when the headers say
 * nothing useful. A limit that still reports headroom is skipped: it is not why this call failed.
 * Both providers report when a limit is *fully* replenished, so this is an upper bound, to be
 * used only when the server gave no retry-after.
 */
export function rateLimitResetMs(headers: HeaderSource, now: number): number | null {
  let longest: number | null = null;
  for (const [resetName, remainingName, format] of LIMITS) {
    const reset = headerValue(headers, resetName);
    if (reset === null || hasHeadroom(headerValue(headers, remainingName))) continue;
    const ms = format === 'duration' ? parseDurationMs(reset) : instantMs(reset, now);
    if (ms !== null && (longest === null || ms > longest)) longest = ms;
  }
  return longest;
}

function hasHeadroom(remaining: string | null): boolean {
  return remaining !== null && Number(remaining) > 0;
}

function instantMs(text: string, now: number): number | null {
  const at = Date.parse(text);
  return Number.isNaN(at) || at < now ? null : at - now;
}
