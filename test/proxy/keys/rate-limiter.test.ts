import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../proxy/keys/rate-limiter.ts';

const T0 = 1_700_000_000_000;
const unlimited = { rpm: null, tpm: null };

describe('RateLimiter requests per minute', () => {
  it('allows a burst up to the limit, then says when the next request fits', () => {
    const limiter = new RateLimiter();
    const limits = { rpm: 2, tpm: null };
    expect(limiter.admit('k', limits, 0, T0)).toEqual({ ok: true });
    expect(limiter.admit('k', limits, 0, T0)).toEqual({ ok: true });
    // 2 per minute refills one request every 30 s.
    expect(limiter.admit('k', limits, 0, T0)).toEqual({ ok: false, limit: 'rpm', retryAfterSeconds: 30 });
    expect(limiter.admit('k', limits, 0, T0 + 29_001)).toMatchObject({ retryAfterSeconds: 1 });
    expect(limiter.admit('k', limits, 0, T0 + 30_000)).toEqual({ ok: true });
  });

  it('keeps keys apart and never limits a key without limits', () => {
    const limiter = new RateLimiter();
    expect(limiter.admit('a', { rpm: 1, tpm: null }, 0, T0).ok).toBe(true);
    expect(limiter.admit('a', { rpm: 1, tpm: null }, 0, T0).ok).toBe(false);
    expect(limiter.admit('b', { rpm: 1, tpm: null }, 0, T0).ok).toBe(true);
    for (let i = 0; i < 1_000; i += 1) expect(limiter.admit('c', unlimited, 1e6, T0).ok).toBe(true);
  });

  it('refills no further than the limit, however long the key was idle', () => {
    const limiter = new RateLimiter();
    const limits = { rpm: 3, tpm: null };
    limiter.admit('k', limits, 0, T0);
    expect(limiter.available('k', 'rpm', 3, T0 + 3_600_000)).toBe(3);
  });
});

describe('RateLimiter tokens per minute', () => {
  it('charges the estimate and reports the wait for the missing tokens', () => {
    const limiter = new RateLimiter();
    const limits = { rpm: null, tpm: 1_000 };
    expect(limiter.admit('k', limits, 600, T0).ok).toBe(true);
    // 200 tokens short at 1000/min: 12 s.
    expect(limiter.admit('k', limits, 600, T0)).toEqual({ ok: false, limit: 'tpm', retryAfterSeconds: 12 });
    expect(limiter.admit('k', limits, 600, T0 + 12_000).ok).toBe(true);
  });

  it('refuses for good a request larger than the whole limit', () => {
    const limiter = new RateLimiter();
    expect(limiter.admit('k', { rpm: null, tpm: 1_000 }, 1_001, T0)).toEqual({
      ok: false,
      limit: 'tpm',
      retryAfterSeconds: null,
    });
    expect(limiter.admit('k', { rpm: null, tpm: 1_000 }, 1_000, T0).ok).toBe(true);
  });

  it('takes neither a request nor tokens when one limit refuses', () => {
    const limiter = new RateLimiter();
    const limits = { rpm: 1, tpm: 100 };
    expect(limiter.admit('k', limits, 500, T0).ok).toBe(false);
    expect(limiter.available('k', 'rpm', 1, T0)).toBe(1);
    expect(limiter.admit('k', limits, 100, T0).ok).toBe(true);
    expect(limiter.available('k', 'tpm', 100, T0)).toBe(0);
  });

  it('reports the longer wait when both limits refuse', () => {
    const limiter = new RateLimiter();
    const limits = { rpm: 60, tpm: 600 };
    limiter.admit('k', limits, 600, T0);
    // rpm has room; tpm needs 60 tokens = 6 s.
    expect(limiter.admit('k', limits, 60, T0)).toMatchObject({ limit: 'tpm', retryAfterSeconds: 6 });
    const tight = { rpm: 1, tpm: 600 };
    limiter.admit('j', tight, 10, T0);
    // rpm needs 60 s, tpm needs 1 s: the longer one is the honest answer.
    expect(limiter.admit('j', tight, 600, T0)).toMatchObject({ limit: 'rpm', retryAfterSeconds: 60 });
    // A request that can never fit outranks any wait.
    expect(limiter.admit('j', tight, 601, T0)).toMatchObject({ limit: 'tpm', retryAfterSeconds: null });
  });

  it('follows a changed limit: a lower one caps what is left', () => {
    const limiter = new RateLimiter();
    limiter.admit('k', { rpm: null, tpm: 1_000 }, 100, T0);
    expect(limiter.available('k', 'tpm', 1_000, T0)).toBe(900);
    expect(limiter.available('k', 'tpm', 500, T0)).toBe(500);
    expect(limiter.available('k', 'tpm', 2_000, T0 + 30_000)).toBe(1_500);
  });

  it('does not refill when the clock steps back', () => {
    const limiter = new RateLimiter();
    limiter.admit('k', { rpm: null, tpm: 100 }, 100, T0);
    expect(limiter.available('k', 'tpm', 100, T0 - 60_000)).toBe(0);
    expect(limiter.available('k', 'tpm', 100, T0 + 600)).toBe(1);
  });

  it('forgets a key', () => {
    const limiter = new RateLimiter();
    limiter.admit('k', { rpm: 1, tpm: 10 }, 10, T0);
    limiter.forget('k');
    expect(limiter.admit('k', { rpm: 1, tpm: 10 }, 10, T0).ok).toBe(true);
  });
});

describe('RateLimiter.settle', () => {
  it('gives back what the estimate over-charged', () => {
    const limiter = new RateLimiter();
    const limits = { rpm: null, tpm: 1_000 };
    limiter.admit('k', limits, 800, T0);
    limiter.settle('k', 800, 150, T0);
    expect(limiter.available('k', 'tpm', 1_000, T0)).toBe(850);
  });

  it('never gives back more than the limit', () => {
    const limiter = new RateLimiter();
    limiter.admit('k', { rpm: null, tpm: 1_000 }, 0, T0);
    limiter.settle('k', 500, 0, T0);
    expect(limiter.available('k', 'tpm', 1_000, T0)).toBe(1_000);
  });

  it('takes what the estimate missed, into debt the next request waits out', () => {
    const limiter = new RateLimiter();
    const limits = { rpm: null, tpm: 1_000 };
    limiter.admit('k', limits, 1_000, T0);
    limiter.settle('k', 1_000, 1_500, T0);
    expect(limiter.available('k', 'tpm', 1_000, T0)).toBe(-500);
    // 500 tokens of debt + 100 needed = 600 tokens at 1000/min: 36 s.
    expect(limiter.admit('k', limits, 100, T0)).toMatchObject({ retryAfterSeconds: 36 });
    expect(limiter.admit('k', limits, 100, T0 + 36_000).ok).toBe(true);
  });

  it('ignores keys without a tokens limit and nonsense counts', () => {
    const limiter = new RateLimiter();
    limiter.settle('k', 10, 20, T0);
    limiter.admit('k', { rpm: 5, tpm: null }, 10, T0);
    limiter.settle('k', 10, 20, T0);
    limiter.admit('t', { rpm: null, tpm: 100 }, 50, T0);
    limiter.settle('t', Number.NaN, -3, T0);
    expect(limiter.available('t', 'tpm', 100, T0)).toBe(50);
  });
});
