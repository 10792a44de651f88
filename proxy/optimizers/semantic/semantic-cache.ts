import type { CacheScope } from '../request-key.ts';
import type { CachedResponse } from '../exact-cache.ts';
import { contrastReason } from './contrast-guard.ts';
import type { Embedder } from './embedder.ts';
import {
  semanticKey,
  type SemanticEligibility,
  type SemanticEndpoint,
  type SemanticKey,
} from './semantic-key.ts';
import { VectorIndex } from './vector-index.ts';

/**
 * Chosen with bench/semantic-cache for all-MiniLM-L6-v2 (int8) with the contrast guard: the lowest
 * threshold whose wrong-hit rate stays under 1% both on the labeled pairs (hard negatives included)
 * and in the repetitive-workload replay. Re-measure for any other embedding model.
 */
export const DEFAULT_SEMANTIC_THRESHOLD = 0.88;

/** Similarity above which two questions are the same text up to whitespace or case. */
const SAME_QUESTION = 0.995;

export interface SemanticCacheOptions {
  /** Cosine similarity at or above which a cached answer is served. */
  threshold?: number;
  /** Per namespace label, overriding `threshold` (stricter for e.g. legal or billing assistants). */
  namespaceThresholds?: Record<string, number>;
  ttlMs: number;
  maxEntriesPerNamespace: number;
  /**
   * Namespaces kept (default 256); the least recently used is dropped whole when a new one would
   * exceed it. Each costs at least one 64 KiB WebAssembly page, plus 1.5 KiB per 384-wide entry.
   */
  maxNamespaces?: number;
  allowSampling?: boolean;
  maxQueryChars?: number;
  /** Reject hits whose question is a reordering, one-word swap or negation of the cached one (default on). */
  contrastGuard?: boolean;
  now?: () => number;
}

export interface SemanticHit {
  hit: CachedResponse;
  similarity: number;
}

export interface SemanticMiss {
  miss: true;
  /** The question's vector, to pass to store() once the upstream answers; null if embedding failed. */
  embedding: Float32Array | null;
  /** Similarity of the nearest cached question, or null when there was none to compare. */
  bestSimilarity: number | null;
  reason: string;
}

export type SemanticLookup = SemanticHit | SemanticMiss;

interface Entry {
  response: CachedResponse;
  /** The question the answer was for, for the contrast guard. */
  question: string;
}

export interface SemanticCacheStats {
  hits: number;
  misses: number;
  entries: number;
  namespaces: number;
  embedFailures: number;
}

/**
 * Serves a stored answer when a new question means the same as an earlier one and everything else
 * in the request (tenant, model, system prompt, tools, earlier turns...) is identical.
 */
export class SemanticCache {
  private readonly embedder: Embedder;
  private readonly options: SemanticCacheOptions;
  private readonly indexes = new Map<string, VectorIndex<Entry>>();
  private hits = 0;
  private misses = 0;
  private embedFailures = 0;

  constructor(embedder: Embedder, options: SemanticCacheOptions) {
    this.embedder = embedder;
    this.options = options;
  }

  eligibility(
    scope: CacheScope,
    namespace: string,
    endpoint: SemanticEndpoint,
    body: Record<string, unknown>,
  ): SemanticEligibility {
    return semanticKey(scope, namespace, endpoint, body, {
      allowSampling: this.options.allowSampling ?? false,
      maxQueryChars: this.options.maxQueryChars,
    });
  }

  thresholdFor(namespace: string): number {
    return (
      this.options.namespaceThresholds?.[namespace] ?? this.options.threshold ?? DEFAULT_SEMANTIC_THRESHOLD
    );
  }

  /** Never rejects: an embedding failure is a miss with the failure as its reason. */
  async lookup(key: SemanticKey): Promise<SemanticLookup> {
    let embedding: Float32Array;
    try {
      const [vector] = await this.embedder.embed([key.queryText]);
      if (!vector) throw new Error('the embedder returned no vector');
      embedding = vector;
    } catch (error) {
      this.embedFailures++;
      return this.miss(null, null, `embedding failed: ${(error as Error).message}`);
    }
    const index = this.indexes.get(key.namespaceKey);
    const match = index?.search(embedding) ?? null;
    if (!index || !match) return this.miss(embedding, null, 'no cached question in this namespace');
    const threshold = this.thresholdFor(key.namespace);
    if (match.similarity < threshold) {
      return this.miss(embedding, match.similarity, `nearest question's similarity is below ${threshold}`);
    }
    const entry = index.get(match.id);
    if (!entry) return this.miss(embedding, match.similarity, 'nearest question expired');
    const contrast =
      this.options.contrastGuard === false ? null : contrastReason(key.queryText, entry.question);
    if (contrast) return this.miss(embedding, match.similarity, `nearest question differs: ${contrast}`);
    this.touch(key.namespaceKey, index);
    this.hits++;
    return { hit: entry.response, similarity: match.similarity };
  }

  /** Keeps only complete successes, like the exact cache; returns whether it stored. */
  store(key: SemanticKey, embedding: Float32Array, response: CachedResponse): boolean {
    if (response.status !== 200) return false;
    if (embedding.length !== this.embedder.dimensions && this.embedder.dimensions !== 0) return false;
    let index = this.indexes.get(key.namespaceKey);
    if (!index) {
      index = new VectorIndex<Entry>({
        dimensions: embedding.length,
        maxEntries: this.options.maxEntriesPerNamespace,
        ttlMs: this.options.ttlMs,
        now: this.options.now,
      });
      this.evictNamespaces();
    }
    this.touch(key.namespaceKey, index);
    // The same question stored twice (concurrent misses) keeps one entry: the newest answer.
    const same = index.search(embedding);
    if (same && same.similarity >= SAME_QUESTION) index.remove(same.id);
    index.add(embedding, { response, question: key.queryText });
    return true;
  }

  stats(): SemanticCacheStats {
    let entries = 0;
    for (const index of this.indexes.values()) entries += index.size;
    return {
      hits: this.hits,
      misses: this.misses,
      entries,
      namespaces: this.indexes.size,
      embedFailures: this.embedFailures,
    };
  }

  clear(): void {
    this.indexes.clear();
  }

  private miss(embedding: Float32Array | null, bestSimilarity: number | null, reason: string): SemanticMiss {
    this.misses++;
    return { miss: true, embedding, bestSimilarity, reason };
  }

  /** Re-inserts the namespace to mark it most recently used (Map keeps insertion order). */
  private touch(namespaceKey: string, index: VectorIndex<Entry>): void {
    this.indexes.delete(namespaceKey);
    this.indexes.set(namespaceKey, index);
  }

  private evictNamespaces(): void {
    const max = this.options.maxNamespaces ?? 256;
    for (const [oldest] of this.indexes) {
      if (this.indexes.size < max) break;
      this.indexes.delete(oldest);
    }
  }
}
