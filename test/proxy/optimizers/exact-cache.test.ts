import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactCache, type CachedResponse } from '../../../proxy/optimizers/exact-cache.ts';
import { canonicalJson, exactCacheKey, uncacheableReason } from '../../../proxy/optimizers/request-key.ts';

const scope = { tenant: 'key-a', api: 'openai' as const, endpoint: 'chat' };
const request = { model: 'gpt-4o', temperature: 0, messages: [{ role: 'user', content: 'hi' }] };

function response(overrides: Partial<CachedResponse> = {}): CachedResponse {
  return {
    status: 200,
    contentType: 'application/json',
    body: Buffer.from('{"ok":true}'),
    frames: null,
    usage: null,
    modelServed: 'gpt-4o',
    baselineCostNanos: 1_000,
    ...overrides,
  };
}

describe('exact cache keys', () => {
  it('ignore key order and transport fields, but not anything that changes the answer', () => {
    const key = exactCacheKey(scope, request);
    expect(
      exactCacheKey(scope, {
        messages: request.messages,
        temperature: 0,
        model: 'gpt-4o',
        user: 'u1',
        metadata: { user_id: 'u1' },
      }),
    ).toBe(key);
    // A replayed stream carries the usage chunk only if the first caller asked for it.
    expect(exactCacheKey(scope, { ...request, stream_options: { include_usage: true } })).not.toBe(key);
    expect(exactCacheKey(scope, { ...request, model: 'gpt-4o-mini' })).not.toBe(key);
    expect(exactCacheKey(scope, { ...request, messages: [{ role: 'user', content: 'hi!' }] })).not.toBe(key);
    expect(
      exactCacheKey(scope, { ...request, tools: [{ type: 'function', function: { name: 'f' } }] }),
    ).not.toBe(key);
    expect(exactCacheKey(scope, { ...request, stream: true })).not.toBe(key);
  });

  it('never share an entry across tenants or APIs', () => {
    expect(exactCacheKey({ ...scope, tenant: 'key-b' }, request)).not.toBe(exactCacheKey(scope, request));
    expect(exactCacheKey({ ...scope, api: 'anthropic' }, request)).not.toBe(exactCacheKey(scope, request));
  });

  it('canonical JSON is stable under any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });

  it('only cache deterministic requests unless sampling is allowed', () => {
    expect(uncacheableReason(request, false)).toBeNull();
    expect(uncacheableReason({ model: 'm' }, false)).toMatch(/temperature/); // the default is 1
    expect(uncacheableReason({ model: 'm', temperature: 0.7 }, true)).toBeNull();
    expect(uncacheableReason({ ...request, n: 3 }, true)).toMatch(/several choices/);
  });
});

describe('ExactCache', () => {
  it('serves an entry until its TTL, then forgets it', () => {
    let now = 0;
    const cache = new ExactCache({ ttlMs: 1_000, maxBytes: 1 << 20, now: () => now });
    expect(cache.set('k', response())).toBe(true);
    now = 999;
    expect(cache.get('k')?.baselineCostNanos).toBe(1_000);
    now = 1_001;
    expect(cache.get('k')).toBeNull();
    expect(cache.size).toBe(0);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it('keeps within its byte budget by dropping the least recently used', () => {
    const body = Buffer.alloc(400);
    const cache = new ExactCache({ ttlMs: 60_000, maxBytes: 2_000 });
    for (const key of ['a', 'b', 'c']) cache.set(key, response({ body }));
    cache.get('a'); // a is now the most recent
    cache.set('d', response({ body }));
    expect(cache.get('b')).toBeNull();
    expect(cache.get('a')).not.toBeNull();
    expect(cache.byteSize).toBeLessThanOrEqual(2_000);
  });

  it('stores streamed frames, and refuses failures and oversized answers', () => {
    const cache = new ExactCache({ ttlMs: 60_000, maxBytes: 4_000 });
    expect(cache.set('s', response({ body: null, frames: ['data: {"a":1}\n\n', 'data: [DONE]\n\n'] }))).toBe(
      true,
    );
    expect(cache.get('s')?.frames).toHaveLength(2);
    expect(cache.set('e', response({ status: 429 }))).toBe(false);
    expect(cache.set('big', response({ body: Buffer.alloc(10_000) }))).toBe(false);
  });
});
