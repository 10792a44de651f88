import { l2Normalize, type Embedder } from '../../proxy/optimizers/semantic/embedder.ts';
import { SemanticCache } from '../../proxy/optimizers/semantic/semantic-cache.ts';
import type { SemanticKey } from '../../proxy/optimizers/semantic/semantic-key.ts';
import { answer, PrecomputedEmbedder } from './evaluate.ts';
import { seededRandom } from './build-dataset.ts';

export interface Percentiles {
  p50: number;
  p99: number;
}

export interface LatencyResult {
  entries: number;
  lookup: Percentiles;
  embed: Percentiles;
  search: Percentiles;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/**
 * Fills one namespace to `entries` with the real question vectors, topped up with random unit
 * vectors (a linear scan costs the same whatever the values), then times full lookups (embed the
 * question with the real model + search), the model alone, and the search alone (same cache
 * contents, question vectors precomputed).
 */
export async function measureLatency(
  embedder: Embedder,
  questionVectors: Map<string, Float32Array>,
  entries: number,
  lookups: number,
): Promise<LatencyResult> {
  const texts = [...questionVectors.keys()];
  const full = fill(new SemanticCache(embedder, options(entries)), questionVectors, entries);
  const instant = new PrecomputedEmbedder(questionVectors, embedder.dimensions);
  const searchOnly = fill(new SemanticCache(instant, options(entries)), questionVectors, entries);
  const timings = { lookup: [] as number[], embed: [] as number[], search: [] as number[] };
  const warmup = 50;
  for (let i = 0; i < lookups + warmup; i++) {
    const text = texts[i % texts.length]!;
    const lookup = await timed(() => full.lookup(key(text)));
    const embed = await timed(() => embedder.embed([text]));
    const search = await timed(() => searchOnly.lookup(key(text)));
    if (i < warmup) continue;
    timings.lookup.push(lookup);
    timings.embed.push(embed);
    timings.search.push(search);
  }
  return {
    entries,
    lookup: percentiles(timings.lookup),
    embed: percentiles(timings.embed),
    search: percentiles(timings.search),
  };
}

const key = (queryText: string): SemanticKey => ({
  namespaceKey: 'latency',
  namespace: 'latency',
  queryText,
});
const options = (entries: number) => ({ ttlMs: 3_600_000, maxEntriesPerNamespace: entries });

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function fill(cache: SemanticCache, vectors: Map<string, Float32Array>, entries: number): SemanticCache {
  const real = [...vectors.values()];
  const random = seededRandom(3);
  const dims = real[0]!.length;
  for (let i = 0; i < entries; i++) {
    const vector = i < real.length ? real[i]! : randomUnit(dims, random);
    cache.store(key(`entry ${i}`), vector, answer(`entry ${i}`));
  }
  return cache;
}

function randomUnit(dimensions: number, random: () => number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = random() - 0.5;
  return l2Normalize(vector);
}
