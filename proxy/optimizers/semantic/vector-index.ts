import { SimdMatrix } from './simd-matrix.ts';

export interface VectorIndexOptions {
  dimensions: number;
  /** Most entries kept; the least recently used goes first when full. */
  maxEntries: number;
  /** Entries older than this are never returned and their slots are reused. */
  ttlMs: number;
  now?: () => number;
}

export interface VectorMatch {
  id: number;
  similarity: number;
}

/**
 * Brute-force nearest neighbour over normalized vectors stored contiguously (SimdMatrix).
 * For the ≤ 10k entries of one namespace an exact linear scan beats any approximate index on
 * simplicity and stays well under a millisecond (see bench/semantic-cache).
 */
export class VectorIndex<T> {
  private readonly dims: number;
  private readonly options: VectorIndexOptions;
  private readonly now: () => number;
  private readonly matrix: SimdMatrix;
  /** Slots in use are [0, used); a free list recycles removed ones. */
  private used = 0;
  private readonly free: number[] = [];
  private readonly live: Uint8Array;
  private readonly storedAt: Float64Array;
  private readonly lastUsed: Float64Array;
  private readonly ids: Float64Array;
  private readonly values: (T | undefined)[];
  private readonly slotOf = new Map<number, number>();
  private nextId = 1;

  constructor(options: VectorIndexOptions) {
    if (options.maxEntries < 1) throw new Error('maxEntries must be at least 1');
    this.options = options;
    this.dims = options.dimensions;
    this.now = options.now ?? Date.now;
    this.matrix = new SimdMatrix(options.dimensions, options.maxEntries);
    this.live = new Uint8Array(options.maxEntries);
    this.storedAt = new Float64Array(options.maxEntries);
    this.lastUsed = new Float64Array(options.maxEntries);
    this.ids = new Float64Array(options.maxEntries);
    this.values = new Array<T | undefined>(options.maxEntries);
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Adds a vector (must already be normalized) and returns its id. */
  add(vector: Float32Array, value: T): number {
    if (vector.length !== this.dims) {
      throw new Error(`vector has ${vector.length} dimensions, the index ${this.dims}`);
    }
    const slot = this.claimSlot();
    const id = this.nextId++;
    const at = this.now();
    this.matrix.setRow(slot, vector);
    this.live[slot] = 1;
    this.storedAt[slot] = at;
    this.lastUsed[slot] = at;
    this.ids[slot] = id;
    this.values[slot] = value;
    this.slotOf.set(id, slot);
    return id;
  }

  /** The most similar live entry, or null when the index holds none. */
  search(query: Float32Array): VectorMatch | null {
    if (query.length !== this.dims) return null;
    const expiredBefore = this.now() - this.options.ttlMs;
    const scores = this.matrix.scores(query, this.used);
    let best = -Infinity;
    let bestSlot = -1;
    for (let slot = 0; slot < this.used; slot++) {
      const score = scores[slot]!;
      // Liveness and TTL are checked only for a would-be winner: cheaper than per row.
      if (score > best && this.live[slot] === 1 && this.storedAt[slot]! >= expiredBefore) {
        best = score;
        bestSlot = slot;
      }
    }
    return bestSlot < 0 ? null : { id: this.ids[bestSlot]!, similarity: best };
  }

  /** The entry's value, marking it recently used; undefined once evicted or expired. */
  get(id: number): T | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    if (this.isExpired(slot, this.now())) {
      this.removeSlot(slot);
      return undefined;
    }
    this.lastUsed[slot] = this.now();
    return this.values[slot];
  }

  remove(id: number): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.removeSlot(slot);
    return true;
  }

  /** Drops every expired entry; returns how many went. */
  purgeExpired(): number {
    const at = this.now();
    let removed = 0;
    for (let slot = 0; slot < this.used; slot++) {
      if (this.live[slot] === 1 && this.isExpired(slot, at)) {
        this.removeSlot(slot);
        removed++;
      }
    }
    return removed;
  }

  private claimSlot(): number {
    const recycled = this.free.pop();
    if (recycled !== undefined) return recycled;
    if (this.used < this.options.maxEntries) return this.used++;
    // Full: expired entries go before live ones, then the least recently used.
    if (this.purgeExpired() > 0) return this.free.pop()!;
    let victim = 0;
    for (let slot = 1; slot < this.used; slot++) {
      if (this.lastUsed[slot]! < this.lastUsed[victim]!) victim = slot;
    }
    this.removeSlot(victim);
    return this.free.pop()!;
  }

  private isExpired(slot: number, at: number): boolean {
    return at - this.storedAt[slot]! > this.options.ttlMs;
  }

  private removeSlot(slot: number): void {
    this.slotOf.delete(this.ids[slot]!);
    this.live[slot] = 0;
    this.values[slot] = undefined;
    this.free.push(slot);
  }
}
