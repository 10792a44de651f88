import { ExactRows } from './exact-rows.ts';
import { Int8Matrix } from './int8-matrix.ts';

export interface VectorIndexOptions {
  dimensions: number;
  /** Most entries kept; the least recently used goes first when full. */
  maxEntries: number;
  /** Entries older than this are never returned and their slots are reused. */
  ttlMs: number;
  now?: () => number;
}

/** Rows rescored exactly per lookup: int8 error reorders only near-ties, which this many cover. */
const RESCORED = 8;

export interface VectorMatch {
  id: number;
  similarity: number;
}

/**
 * Nearest neighbour over normalized vectors: a linear scan of int8 copies (Int8Matrix) picks a
 * shortlist, which is rescored exactly. For the ≤ 10k entries of one namespace a scan beats any
 * graph index on simplicity, and int8 keeps it near 0.2 ms (see bench/semantic-cache); rescoring the
 * best RESCORED rows makes a quantization-induced miss of the true nearest neighbour vanishingly rare.
 */
export class VectorIndex<T> {
  private readonly dims: number;
  private readonly options: VectorIndexOptions;
  private readonly now: () => number;
  private readonly coarse: Int8Matrix;
  private readonly exact: ExactRows;
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
    this.coarse = new Int8Matrix(options.dimensions, options.maxEntries);
    this.exact = new ExactRows(options.dimensions, options.maxEntries);
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
    this.coarse.setRow(slot, vector);
    this.exact.setRow(slot, vector);
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
    let best = -Infinity;
    let bestSlot = -1;
    for (const slot of this.shortlist(query)) {
      const similarity = this.exact.dot(slot, query);
      if (similarity > best) {
        best = similarity;
        bestSlot = slot;
      }
    }
    return bestSlot < 0 ? null : { id: this.ids[bestSlot]!, similarity: best };
  }

  /** The live, unexpired slots with the highest approximate scores, best first. */
  private shortlist(query: Float32Array): number[] {
    const expiredBefore = this.now() - this.options.ttlMs;
    const approx = this.coarse.scores(query, this.used);
    const slots: number[] = [];
    const scores: number[] = [];
    for (let slot = 0; slot < this.used; slot++) {
      const score = approx[slot]!;
      // Liveness and TTL are checked only for would-be members: cheaper than per row.
      if (slots.length === RESCORED && score <= scores[RESCORED - 1]!) continue;
      if (this.live[slot] !== 1 || this.storedAt[slot]! < expiredBefore) continue;
      let at = Math.min(slots.length, RESCORED - 1);
      while (at > 0 && scores[at - 1]! < score) at--;
      slots.splice(at, 0, slot);
      scores.splice(at, 0, score);
      if (slots.length > RESCORED) {
        slots.pop();
        scores.pop();
      }
    }
    return slots;
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
