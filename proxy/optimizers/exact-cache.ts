import type { TokenUsage } from '../../contracts/usage.ts';

/** One upstream answer, recorded so the identical request can be answered without the provider. */
export interface CachedResponse {
  status: number;
  contentType: string;
  /** The JSON body of a non-streamed answer. */
  body: Buffer | null;
  /** The SSE frames of a streamed answer, in order, exactly as the client received them. */
  frames: string[] | null;
  usage: TokenUsage | null;
  modelServed: string | null;
  /** What the request that filled the entry would have cost without Apex: each hit saves it. */
  baselineCostNanos: number;
}

export interface ExactCacheOptions {
  ttlMs: number;
  /** Memory the cache may hold; least recently used entries go first. */
  maxBytes: number;
  now?: () => number;
}

/**
 * An in-memory LRU of successful answers keyed by exactCacheKey(). Bounded by bytes, not entries,
 * because one long streamed answer can outweigh a thousand short ones.
 */
export class ExactCache {
  private readonly entries = new Map<string, { response: CachedResponse; bytes: number; storedAt: number }>();
  private bytes = 0;
  private readonly options: ExactCacheOptions;
  private readonly now: () => number;
  hits = 0;
  misses = 0;

  constructor(options: ExactCacheOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** `maxAgeMs` lets a key or route ask for fresher answers than the cache-wide TTL. */
  get(key: string, maxAgeMs = this.options.ttlMs): CachedResponse | null {
    const entry = this.entries.get(key);
    if (!entry || this.now() - entry.storedAt > Math.min(maxAgeMs, this.options.ttlMs)) {
      if (entry) this.delete(key);
      this.misses++;
      return null;
    }
    // Re-insert to mark it most recently used (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.response;
  }

  /** Stores only complete successes; an answer bigger than the whole budget is not kept. */
  set(key: string, response: CachedResponse): boolean {
    if (response.status !== 200) return false;
    const bytes = sizeOf(key, response);
    if (bytes > this.options.maxBytes) return false;
    this.delete(key);
    this.entries.set(key, { response, bytes, storedAt: this.now() });
    this.bytes += bytes;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.delete(oldest);
    }
    return true;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

function sizeOf(key: string, response: CachedResponse): number {
  const frames = response.frames?.reduce((sum, frame) => sum + frame.length * 2, 0) ?? 0;
  return key.length * 2 + (response.body?.length ?? 0) + frames + 256;
}
