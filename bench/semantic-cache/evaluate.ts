import type { CachedResponse } from '../../proxy/optimizers/exact-cache.ts';
import { contrastReason } from '../../proxy/optimizers/semantic/contrast-guard.ts';
import { dot, type Embedder } from '../../proxy/optimizers/semantic/embedder.ts';
import { SemanticCache } from '../../proxy/optimizers/semantic/semantic-cache.ts';
import type { SemanticKey } from '../../proxy/optimizers/semantic/semantic-key.ts';
import type { LabeledPair, PairKind, WorkloadRequest } from './build-dataset.ts';

export interface PairScores {
  duplicate: number[];
  hardNegative: number[];
  otherIntent: number[];
}

export interface ThresholdRow {
  threshold: number;
  /** Share of true duplicate pairs at or above the threshold: the hits the cache would make. */
  hitRate: number;
  /** Share of all non-duplicate pairs at or above it: wrong answers the cache would serve. */
  wrongHitRate: number;
  hardNegativeWrongRate: number;
  /** The wrong-hit rate on embedding similarity alone, without the contrast guard. */
  unguardedWrongHitRate: number;
  unguardedHitRate: number;
  workload: WorkloadResult;
}

export interface WorkloadResult {
  requests: number;
  hits: number;
  wrongHits: number;
  /** Requests whose intent had been seen before: the most any cache could serve. */
  servable: number;
}

/** Answers embed() from vectors computed once, so threshold sweeps do not re-run the model. */
export class PrecomputedEmbedder implements Embedder {
  readonly id = 'precomputed';
  readonly dimensions: number;
  private readonly vectors: Map<string, Float32Array>;

  constructor(vectors: Map<string, Float32Array>, dimensions: number) {
    this.vectors = vectors;
    this.dimensions = dimensions;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const vector = this.vectors.get(text);
      if (!vector) throw new Error(`no precomputed vector for ${JSON.stringify(text)}`);
      return vector;
    });
  }
}

export async function embedAll(embedder: Embedder, texts: string[]): Promise<Map<string, Float32Array>> {
  const unique = [...new Set(texts)];
  const vectors = await embedder.embed(unique);
  return new Map(unique.map((text, i) => [text, vectors[i]!]));
}

/** Similarity per pair; with the guard on, a pair the contrast guard rejects is never served (-1). */
export function scorePairs(
  pairs: LabeledPair[],
  vectors: Map<string, Float32Array>,
  guard: boolean,
): PairScores {
  const byKind: Record<PairKind, number[]> = { duplicate: [], 'hard-negative': [], 'other-intent': [] };
  for (const pair of pairs) {
    const rejected = guard && contrastReason(pair.a, pair.b) !== null;
    byKind[pair.kind].push(rejected ? -1 : dot(vectors.get(pair.a)!, vectors.get(pair.b)!));
  }
  return {
    duplicate: byKind.duplicate,
    hardNegative: byKind['hard-negative'],
    otherIntent: byKind['other-intent'],
  };
}

const share = (scores: number[], threshold: number): number =>
  scores.filter((s) => s >= threshold).length / Math.max(1, scores.length);

export async function sweep(
  scores: PairScores,
  unguarded: PairScores,
  workload: WorkloadRequest[],
  embedder: Embedder,
  thresholds: number[],
): Promise<ThresholdRow[]> {
  const rows: ThresholdRow[] = [];
  for (const threshold of thresholds) {
    const negatives = [...scores.hardNegative, ...scores.otherIntent];
    const rawNegatives = [...unguarded.hardNegative, ...unguarded.otherIntent];
    rows.push({
      threshold,
      hitRate: share(scores.duplicate, threshold),
      wrongHitRate: share(negatives, threshold),
      hardNegativeWrongRate: share(scores.hardNegative, threshold),
      unguardedWrongHitRate: share(rawNegatives, threshold),
      unguardedHitRate: share(unguarded.duplicate, threshold),
      workload: await simulateWorkload(workload, embedder, threshold),
    });
  }
  return rows;
}

/**
 * Replays the stream through a real SemanticCache in one namespace: a miss stores the answer
 * (tagged with its intent), a hit is wrong when the served answer belongs to another intent.
 */
export async function simulateWorkload(
  workload: WorkloadRequest[],
  embedder: Embedder,
  threshold: number,
): Promise<WorkloadResult> {
  const cache = new SemanticCache(embedder, { threshold, ttlMs: 3_600_000, maxEntriesPerNamespace: 10_000 });
  const seen = new Set<string>();
  const result: WorkloadResult = { requests: workload.length, hits: 0, wrongHits: 0, servable: 0 };
  for (const request of workload) {
    if (seen.has(request.intent)) result.servable++;
    seen.add(request.intent);
    const key: SemanticKey = { namespaceKey: 'bench', namespace: 'bench', queryText: request.text };
    const lookup = await cache.lookup(key);
    if ('hit' in lookup) {
      result.hits++;
      if (lookup.hit.body?.toString() !== request.intent) result.wrongHits++;
    } else if (lookup.embedding) {
      cache.store(key, lookup.embedding, answer(request.intent));
    }
  }
  return result;
}

export function answer(intent: string): CachedResponse {
  return {
    status: 200,
    contentType: 'application/json',
    body: Buffer.from(intent),
    frames: null,
    usage: null,
    modelServed: 'bench',
    baselineCostNanos: 1,
  };
}

/** Lowest threshold whose pair wrong-hit rate is at most `maxWrong`; rows must be ascending. */
export function lowestSafeThreshold(rows: ThresholdRow[], maxWrong: number): ThresholdRow | null {
  return rows.find((row) => row.wrongHitRate <= maxWrong) ?? null;
}
