/**
 * Near-duplicate prompts by MinHash over word trigrams with LSH banding, then an exact Jaccard check,
 * so a few thousand distinct prompts cluster without comparing every pair.
 */

export const NEAR_DUPLICATE_JACCARD = 0.8;
const HASHES = 64;
const BANDS = 16;
const ROWS_PER_BAND = HASHES / BANDS;
const SEEDS = Array.from({ length: HASHES }, (_, i) => mix32(0x9e3779b9 ^ (i * 0x85ebca6b)));

export function shingles(text: string): Set<number> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<number>();
  if (words.length < 3) {
    if (words.length > 0) out.add(fnv1a(words.join(' ')));
    return out;
  }
  for (let i = 0; i + 2 < words.length; i++) out.add(fnv1a(`${words[i]} ${words[i + 1]} ${words[i + 2]}`));
  return out;
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Groups of indexes into `texts` whose prompts are near-duplicates (only groups of two or more). */
export function nearDuplicateClusters(
  texts: readonly string[],
  threshold = NEAR_DUPLICATE_JACCARD,
): number[][] {
  const sets = texts.map(shingles);
  const parent = texts.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  for (const [a, b] of candidatePairs(sets)) {
    if (find(a) !== find(b) && jaccard(sets[a] as Set<number>, sets[b] as Set<number>) >= threshold) {
      parent[find(a)] = find(b);
    }
  }
  const clusters = new Map<number, number[]>();
  texts.forEach((_, i) => {
    const root = find(i);
    clusters.set(root, [...(clusters.get(root) ?? []), i]);
  });
  return [...clusters.values()].filter((c) => c.length > 1);
}

function candidatePairs(sets: readonly Set<number>[]): Array<[number, number]> {
  const buckets = new Map<string, number[]>();
  sets.forEach((set, i) => {
    const signature = minhash(set);
    for (let band = 0; band < BANDS; band++) {
      const key = `${band}:${signature.slice(band * ROWS_PER_BAND, (band + 1) * ROWS_PER_BAND).join(',')}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
  });
  const seen = new Set<string>();
  const pairs: Array<[number, number]> = [];
  for (const bucket of buckets.values()) {
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const pair: [number, number] = [bucket[x] as number, bucket[y] as number];
        const key = `${pair[0]}:${pair[1]}`;
        if (!seen.has(key)) {
          seen.add(key);
          pairs.push(pair);
        }
      }
    }
  }
  return pairs;
}

function minhash(set: Set<number>): Uint32Array {
  const signature = new Uint32Array(HASHES).fill(0xffffffff);
  for (const x of set) {
    for (let i = 0; i < HASHES; i++) {
      const h = mix32(x ^ (SEEDS[i] as number));
      if (h < (signature[i] as number)) signature[i] = h;
    }
  }
  return signature;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// murmur3's finalizer: spreads every input bit over the output so each seed acts as its own hash.
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
