/**
 * Per-key requests-per-minute and tokens-per-minute, as token buckets rather than a sliding-window
 * counter, because:
 * - it is what Anthropic documents for its own limits (capacity refills continuously up to the
 *   limit), so a client tuned against the provider sees the same behaviour through the proxy;
 * - the wait until a request fits is exact (deficit / refill rate), where a weighted window only
 *   approximates it;
 * - settling an estimate against real usage is one addition to the bucket, whereas a window
 *   counter would have to find the window the estimate was charged to, which may be gone.
 *
 * Levels are kept in integer units of 1/60000 token, so one millisecond refills exactly `limit`
 * units and no float is ever accumulated. MAX_RATE_LIMIT keeps the largest level below 2^53.
 */

const WINDOW_MS = 60_000;

export interface RateLimits {
  rpm: number | null;
  tpm: number | null;
}

export type RateDimension = 'rpm' | 'tpm';

export type RateDecision =
  | { ok: true }
  | {
      ok: false;
      limit: RateDimension;
      /** Seconds until the request would fit; null when it never can (larger than the limit). */
      retryAfterSeconds: number | null;
    };

interface Bucket {
  /** Per-minute limit the bucket was last used with. */
  limit: number;
  /** Scaled level (tokens * WINDOW_MS); negative after an under-estimate: debt to refill first. */
  level: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Takes one request and `estimatedTokens` from the key's buckets, or neither: a request refused
   * by one limit does not use up the other.
   */
  admit(keyId: string, limits: RateLimits, estimatedTokens: number, now: number): RateDecision {
    const tokens = wholeTokens(estimatedTokens);
    const checks: Array<[RateDimension, number | null, number]> = [
      ['rpm', limits.rpm, 1],
      ['tpm', limits.tpm, tokens],
    ];
    let refusal: RateDecision | null = null;
    for (const [dimension, limit, cost] of checks) {
      if (limit === null) continue;
      const wait = this.waitMs(bucketId(keyId, dimension), limit, cost, now);
      if (wait === 0) continue;
      const retryAfterSeconds = wait === null ? null : Math.max(1, Math.ceil(wait / 1000));
      if (!refusal || isLater(retryAfterSeconds, refusal)) {
        refusal = { ok: false, limit: dimension, retryAfterSeconds };
      }
    }
    if (refusal) return refusal;
    for (const [dimension, limit, cost] of checks) {
      if (limit !== null) this.bucket(bucketId(keyId, dimension), limit, now).level -= cost * WINDOW_MS;
    }
    return { ok: true };
  }

  /**
   * Corrects an admitted estimate once real usage is known: unused tokens go back, extra ones
   * are taken (possibly into debt, which delays the key's next requests).
   */
  settle(keyId: string, estimatedTokens: number, actualTokens: number, now: number): void {
    const id = bucketId(keyId, 'tpm');
    const known = this.buckets.get(id);
    if (!known) return;
    const bucket = this.bucket(id, known.limit, now);
    const delta = wholeTokens(estimatedTokens) - wholeTokens(actualTokens);
    bucket.level = Math.min(bucket.limit * WINDOW_MS, bucket.level + delta * WINDOW_MS);
  }

  /** Tokens (or requests) the key could use right now; for headers and tests. */
  available(keyId: string, dimension: RateDimension, limit: number, now: number): number {
    return Math.floor(this.bucket(bucketId(keyId, dimension), limit, now).level / WINDOW_MS);
  }

  /** Forgets a key's buckets (it was revoked or deleted). */
  forget(keyId: string): void {
    this.buckets.delete(bucketId(keyId, 'rpm'));
    this.buckets.delete(bucketId(keyId, 'tpm'));
  }

  /** Milliseconds until `cost` fits (0 = now), or null if it exceeds the whole limit. */
  private waitMs(id: string, limit: number, cost: number, now: number): number | null {
    if (cost > limit) return null;
    const bucket = this.bucket(id, limit, now);
    const deficit = cost * WINDOW_MS - bucket.level;
    return deficit <= 0 ? 0 : Math.ceil(deficit / limit);
  }

  /** The bucket refilled up to `now`; a new key starts full, a changed limit rescales the cap. */
  private bucket(id: string, limit: number, now: number): Bucket {
    const at = Math.floor(now);
    const capacity = limit * WINDOW_MS;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = { limit, level: capacity, at };
      this.buckets.set(id, bucket);
      return bucket;
    }
    bucket.limit = limit;
    if (at > bucket.at) {
      bucket.level = Math.min(capacity, bucket.level + (at - bucket.at) * limit);
      bucket.at = at;
    }
    bucket.level = Math.min(capacity, bucket.level);
    return bucket;
  }
}

function wholeTokens(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.ceil(n)) : 0;
}

function bucketId(keyId: string, dimension: RateDimension): string {
  return `${dimension}:${keyId}`;
}

/** Whether a refusal waiting `seconds` should replace `current` (the longer wait wins). */
function isLater(seconds: number | null, current: Extract<RateDecision, { ok: false }>): boolean {
  if (current.retryAfterSeconds === null) return false;
  return seconds === null || seconds > current.retryAfterSeconds;
}
