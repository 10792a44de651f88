import { describe, expect, it } from 'vitest';
import type { CachedResponse } from '../../../../proxy/optimizers/exact-cache.ts';
import type { CacheScope } from '../../../../proxy/optimizers/request-key.ts';
import { contrastReason } from '../../../../proxy/optimizers/semantic/contrast-guard.ts';
import type { Embedder } from '../../../../proxy/optimizers/semantic/embedder.ts';
import {
  DEFAULT_SEMANTIC_THRESHOLD,
  SemanticCache,
} from '../../../../proxy/optimizers/semantic/semantic-cache.ts';
import type { SemanticKey } from '../../../../proxy/optimizers/semantic/semantic-key.ts';

/** Deterministic: listed texts get their (normalized) vector, any other text [0, 0, 0, 1]. */
class FakeEmbedder implements Embedder {
  readonly id = 'fake';
  readonly dimensions = 4;
  failWith: Error | null = null;
  private readonly table: Map<string, number[]>;

  constructor(table: Record<string, number[]>) {
    this.table = new Map(Object.entries(table));
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (this.failWith) throw this.failWith;
    return texts.map((text) => {
      const raw = this.table.get(text) ?? [0, 0, 0, 1];
      const norm = Math.hypot(...raw);
      return Float32Array.from(raw.map((x) => x / norm));
    });
  }
}

// cos(reset, forgot) = 0.95, cos(reset, invoice) = 0
const embedder = new FakeEmbedder({
  'How do I reset my password?': [1, 0, 0, 0],
  'I forgot my password, how can I reset it?': [0.95, Math.sqrt(1 - 0.95 ** 2), 0, 0],
  'Where is my invoice?': [0, 0, 1, 0],
  'How do I turn on 2FA?': [0, 1, 0, 0],
  'How do I turn off 2FA?': [0, 0.99, Math.sqrt(1 - 0.99 ** 2), 0],
});

const scope: CacheScope = { tenant: 'key-a', api: 'openai', endpoint: 'chat' };

function response(overrides: Partial<CachedResponse> = {}): CachedResponse {
  return {
    status: 200,
    contentType: 'application/json',
    body: Buffer.from('{"answer":"reset it here"}'),
    frames: null,
    usage: null,
    modelServed: 'gpt-4o',
    baselineCostNanos: 1_000,
    ...overrides,
  };
}

function keyFor(
  cache: SemanticCache,
  question: string,
  namespace = 'support',
  tenant = 'key-a',
): SemanticKey {
  const body = { model: 'gpt-4o', temperature: 0, messages: [{ role: 'user', content: question }] };
  const result = cache.eligibility({ ...scope, tenant }, namespace, 'chat', body);
  if ('reason' in result) throw new Error(result.reason);
  return result;
}

async function prime(cache: SemanticCache, question: string, namespace = 'support', tenant = 'key-a') {
  const key = keyFor(cache, question, namespace, tenant);
  const miss = await cache.lookup(key);
  if (!('miss' in miss) || !miss.embedding) throw new Error('expected a miss with an embedding');
  expect(cache.store(key, miss.embedding, response())).toBe(true);
}

const options = { ttlMs: 60_000, maxEntriesPerNamespace: 100 };

describe('SemanticCache', () => {
  it('serves a paraphrase above the threshold and misses unrelated questions', async () => {
    const cache = new SemanticCache(embedder, { ...options, threshold: 0.9 });
    await prime(cache, 'How do I reset my password?');
    const hit = await cache.lookup(keyFor(cache, 'I forgot my password, how can I reset it?'));
    expect(hit).toMatchObject({ hit: { body: response().body }, similarity: expect.closeTo(0.95, 5) });
    const miss = await cache.lookup(keyFor(cache, 'Where is my invoice?'));
    expect(miss).toMatchObject({ miss: true, bestSimilarity: expect.closeTo(0, 5) });
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, entries: 1, namespaces: 1, embedFailures: 0 });
  });

  it('applies per-namespace thresholds over the default', async () => {
    const cache = new SemanticCache(embedder, { ...options, namespaceThresholds: { legal: 0.97 } });
    expect(cache.thresholdFor('support')).toBe(DEFAULT_SEMANTIC_THRESHOLD);
    await prime(cache, 'How do I reset my password?', 'legal');
    await prime(cache, 'How do I reset my password?', 'support');
    const legal = await cache.lookup(keyFor(cache, 'I forgot my password, how can I reset it?', 'legal'));
    expect(legal).toMatchObject({ miss: true, reason: expect.stringMatching(/below 0.97/) });
    const support = await cache.lookup(keyFor(cache, 'I forgot my password, how can I reset it?', 'support'));
    expect(support).toHaveProperty('hit');
  });

  it('never serves another tenant', async () => {
    const cache = new SemanticCache(embedder, options);
    await prime(cache, 'How do I reset my password?', 'support', 'key-a');
    const other = await cache.lookup(keyFor(cache, 'How do I reset my password?', 'support', 'key-b'));
    expect(other).toMatchObject({ miss: true, bestSimilarity: null });
  });

  it('turns an embedding failure into a miss with the reason', async () => {
    const failing = new FakeEmbedder({});
    failing.failWith = new Error('connection refused');
    const cache = new SemanticCache(failing, options);
    const result = await cache.lookup(keyFor(cache, 'anything'));
    expect(result).toEqual({
      miss: true,
      embedding: null,
      bestSimilarity: null,
      reason: expect.stringMatching(/refused/),
    });
    expect(cache.stats().embedFailures).toBe(1);
  });

  it('stores only successful answers and keeps one entry per identical question', async () => {
    const cache = new SemanticCache(embedder, options);
    const key = keyFor(cache, 'How do I reset my password?');
    const [vector] = await embedder.embed([key.queryText]);
    expect(cache.store(key, vector!, response({ status: 500 }))).toBe(false);
    expect(cache.store(key, vector!, response())).toBe(true);
    expect(cache.store(key, vector!, response({ body: Buffer.from('newer') }))).toBe(true);
    expect(cache.stats().entries).toBe(1);
    expect(await cache.lookup(key)).toMatchObject({ hit: { body: Buffer.from('newer') } });
  });

  it('expires entries after the TTL', async () => {
    let now = 0;
    const cache = new SemanticCache(embedder, { ...options, ttlMs: 1000, now: () => now });
    await prime(cache, 'How do I reset my password?');
    now = 1001;
    const result = await cache.lookup(keyFor(cache, 'How do I reset my password?'));
    expect(result).toHaveProperty('miss', true);
  });

  it('drops the least recently used namespace beyond maxNamespaces', async () => {
    const cache = new SemanticCache(embedder, { ...options, maxNamespaces: 2 });
    await prime(cache, 'How do I reset my password?', 'a');
    await prime(cache, 'How do I reset my password?', 'b');
    await prime(cache, 'How do I reset my password?', 'c');
    expect(cache.stats().namespaces).toBe(2);
    expect(await cache.lookup(keyFor(cache, 'How do I reset my password?', 'a'))).toHaveProperty('miss');
    expect(await cache.lookup(keyFor(cache, 'How do I reset my password?', 'c'))).toHaveProperty('hit');
  });

  it('refuses a near-identical question that swaps one word, unless the guard is off', async () => {
    const guarded = new SemanticCache(embedder, { ...options, threshold: 0.9 });
    await prime(guarded, 'How do I turn on 2FA?');
    const result = await guarded.lookup(keyFor(guarded, 'How do I turn off 2FA?'));
    expect(result).toMatchObject({ miss: true, reason: expect.stringMatching(/"off" instead of "on"/) });
    const unguarded = new SemanticCache(embedder, { ...options, threshold: 0.9, contrastGuard: false });
    await prime(unguarded, 'How do I turn on 2FA?');
    expect(await unguarded.lookup(keyFor(unguarded, 'How do I turn off 2FA?'))).toHaveProperty('hit');
  });
});

describe('contrastReason', () => {
  it.each([
    ['How do I convert a string to a number?', 'How do I convert a number to a string?', /different order/],
    ['Why does the reset link work?', 'Why does the reset link not work?', /negation/],
    ['How do I delete a local branch?', 'How do I delete a remote branch?', /"local" instead of "remote"/],
  ])('rejects %s vs %s', (a, b, reason) => {
    expect(contrastReason(a, b)).toMatch(reason);
  });

  it.each([
    ['How do I reset my password?', 'how do i reset my password'],
    ['How do I cancel my subscriptions?', 'How can I cancel my subscription?'],
    ['How do I reset my password?', 'I forgot my password, what are the steps to reset it?'],
  ])('accepts %s vs %s', (a, b) => {
    expect(contrastReason(a, b)).toBeNull();
  });
});
