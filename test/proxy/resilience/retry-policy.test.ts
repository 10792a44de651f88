import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../common/seeded-random.ts';
import { headerValue } from '../../../proxy/resilience/headers.ts';
import { parseDurationMs, rateLimitResetMs } from '../../../proxy/resilience/rate-limit-hints.ts';
import {
  retryableError,
  retryableStatus,
  retryAfterMs,
  retryDelayMs,
} from '../../../proxy/resilience/retry-policy.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const now = () => NOW;
const coded = (code: string) => Object.assign(new Error(code), { code });

describe('retryableStatus mirrors the SDKs’ shouldRetry', () => {
  it('retries 408, 409, 429 and every 5xx (529 included), nothing else', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504, 529]) expect(retryableStatus(status)).toBe(true);
    for (const status of [200, 204, 301, 400, 401, 403, 404, 413, 422]) {
      expect(retryableStatus(status)).toBe(false);
    }
  });

  it('obeys x-should-retry on failures, in either header shape', () => {
    expect(retryableStatus(400, { 'x-should-retry': 'true' })).toBe(true);
    expect(retryableStatus(503, new Headers({ 'x-should-retry': 'false' }))).toBe(false);
    expect(retryableStatus(503, { 'x-should-retry': 'maybe' })).toBe(true);
    expect(retryableStatus(200, { 'x-should-retry': 'true' })).toBe(false);
  });
});

describe('retryableError', () => {
  it('retries connection failures that may pass, not a name that does not resolve', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']) {
      expect(retryableError(coded(code))).toBe(true);
    }
    expect(retryableError(coded('UND_ERR_SOCKET'))).toBe(true);
    expect(retryableError(coded('UND_ERR_CONNECT_TIMEOUT'))).toBe(true);
    expect(retryableError(coded('ENOTFOUND'))).toBe(false);
    expect(retryableError(coded('APEX_CANCELLED'))).toBe(false);
    expect(retryableError(new Error('bug'))).toBe(false);
    expect(retryableError(null)).toBe(false);
    expect(retryableError('ECONNRESET')).toBe(false);
  });

  it('finds the code on fetch’s cause and in an AggregateError', () => {
    expect(retryableError(new TypeError('fetch failed', { cause: coded('ECONNRESET') }))).toBe(true);
    const aggregate = new AggregateError([coded('ENETUNREACH'), coded('ECONNREFUSED')], 'connect failed');
    expect(retryableError(aggregate)).toBe(true);
  });

  it('retries the proxy’s own timeout before the response, not mid-body; and an attempt timeout', () => {
    expect(retryableError(coded('APEX_UPSTREAM_TIMEOUT'))).toBe(true);
    expect(retryableError(Object.assign(coded('APEX_UPSTREAM_TIMEOUT'), { phase: 'body' }))).toBe(false);
    expect(retryableError(new DOMException('slow', 'TimeoutError'))).toBe(true);
    expect(retryableError(new DOMException('gone', 'AbortError'))).toBe(false);
  });
});

describe('retryDelayMs', () => {
  it('backs off with full jitter within [0, min(cap, base * 2^attempt))', () => {
    const random = seededRandom(42);
    for (let attempt = 0; attempt < 8; attempt++) {
      const ceiling = Math.min(8_000, 500 * 2 ** attempt);
      const delays = Array.from({ length: 200 }, () => retryDelayMs(attempt, null, { random }) as number);
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      // Full jitter spreads over the whole range, not a band near the ceiling.
      expect(Math.min(...delays)).toBeLessThan(ceiling * 0.1);
      expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.9);
    }
  });

  it('takes custom base, factor and cap', () => {
    const options = { baseMs: 100, factor: 3, capMs: 1_000, random: () => 0.999999 };
    expect(retryDelayMs(0, undefined, options)).toBe(99);
    expect(retryDelayMs(2, undefined, options)).toBe(899);
    expect(retryDelayMs(5, undefined, options)).toBe(999);
  });

  it('obeys retry-after-ms first, then retry-after in seconds or as a date', () => {
    const options = { now, random: () => 0.5 };
    expect(retryDelayMs(0, { 'retry-after-ms': '1500', 'retry-after': '9' }, options)).toBe(1500);
    expect(retryDelayMs(3, { 'retry-after': '2' }, options)).toBe(2000);
    expect(retryDelayMs(0, { 'retry-after': '0' }, options)).toBe(0);
    const inTen = new Date(NOW + 10_000).toUTCString();
    expect(retryDelayMs(0, new Headers({ 'retry-after': inTen }), options)).toBe(10_000);
  });

  it('ignores a retry-after date in the past, or garbage, and backs off instead', () => {
    const options = { now, random: () => 0.5 };
    const past = new Date(NOW - 60_000).toUTCString();
    expect(retryDelayMs(0, { 'retry-after': past }, options)).toBe(250);
    expect(retryDelayMs(0, { 'retry-after': 'soon' }, options)).toBe(250);
    expect(retryDelayMs(0, { 'retry-after-ms': '-5' }, options)).toBe(250);
  });

  it('says "do not wait here" (null) for a wait beyond maxRetryAfterMs', () => {
    expect(retryDelayMs(0, { 'retry-after': '3600' }, { now })).toBeNull();
    expect(retryDelayMs(0, { 'retry-after-ms': '60001' }, { now })).toBeNull();
    expect(retryDelayMs(0, { 'retry-after': '61' }, { now, maxRetryAfterMs: 120_000 })).toBe(61_000);
  });

  it('reads rate-limit resets as hints only without retry-after, jittered up by at most 10%', () => {
    const options = { now, random: () => 0.5 };
    const openai = { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6s' };
    expect(retryDelayMs(0, openai, options)).toBe(6_300);
    expect(retryDelayMs(0, { ...openai, 'retry-after': '1' }, options)).toBe(1_000);
    // The backoff still wins when it is longer than the hint.
    expect(retryDelayMs(6, { ...openai, 'x-ratelimit-reset-requests': '20ms' }, options)).toBe(4_000);
    const anthropic = {
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': new Date(NOW + 2_000).toISOString(),
    };
    expect(retryDelayMs(0, anthropic, { now, random: () => 0 })).toBe(2_000);
    const farOff = { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' };
    expect(retryDelayMs(0, farOff, options)).toBeNull();
  });
});

describe('rate-limit reset hints', () => {
  it('parses OpenAI durations', () => {
    expect(parseDurationMs('20ms')).toBe(20);
    expect(parseDurationMs('1s')).toBe(1_000);
    expect(parseDurationMs('6m0s')).toBe(360_000);
    expect(parseDurationMs('1h2m3.5s')).toBe(3_723_500);
    expect(parseDurationMs('1.5s')).toBe(1_500);
    expect(parseDurationMs('soon')).toBeNull();
    expect(parseDurationMs('5')).toBeNull();
  });

  it('takes the longest reset among exhausted limits, skipping those with headroom', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '12',
      'x-ratelimit-reset-requests': '50s',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '3s',
      'anthropic-ratelimit-output-tokens-reset': new Date(NOW + 4_000).toISOString(),
      'anthropic-ratelimit-input-tokens-reset': new Date(NOW - 4_000).toISOString(),
      'anthropic-ratelimit-requests-reset': 'not a date',
    };
    expect(rateLimitResetMs(headers, NOW)).toBe(4_000);
    expect(rateLimitResetMs({ 'x-ratelimit-reset-tokens': 'bad' }, NOW)).toBeNull();
    expect(rateLimitResetMs({}, NOW)).toBeNull();
  });
});

describe('header lookups', () => {
  it('reads fetch Headers and Node header records, first value of a list, empty as missing', () => {
    expect(headerValue(new Headers({ 'retry-after': ' 3 ' }), 'retry-after')).toBe('3');
    expect(headerValue({ 'retry-after': ['4', '5'] }, 'retry-after')).toBe('4');
    expect(headerValue({ 'content-length': 12 }, 'content-length')).toBe('12');
    expect(headerValue({ 'retry-after': '' }, 'retry-after')).toBeNull();
    expect(headerValue({}, 'retry-after')).toBeNull();
    expect(headerValue(null, 'retry-after')).toBeNull();
    expect(retryAfterMs({}, NOW)).toBeNull();
  });
});
