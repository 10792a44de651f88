import { describe, expect, it } from 'vitest';
import { l2Normalize } from '../../../../proxy/optimizers/semantic/embedder.ts';
import { seededRandom } from '../../../../common/seeded-random.ts';
import { VectorIndex } from '../../../../proxy/optimizers/semantic/vector-index.ts';

const unit = (...xs: number[]): Float32Array => l2Normalize(Float32Array.from(xs));

function clock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('VectorIndex', () => {
  it('finds the most similar vector by dot product', () => {
    const index = new VectorIndex<string>({ dimensions: 3, maxEntries: 10, ttlMs: 1000 });
    expect(index.search(unit(1, 0, 0))).toBeNull();
    const a = index.add(unit(1, 0, 0), 'a');
    index.add(unit(0, 1, 0), 'b');
    const match = index.search(unit(0.9, 0.1, 0))!;
    expect(match.id).toBe(a);
    expect(match.similarity).toBeCloseTo(0.9 / Math.hypot(0.9, 0.1), 5);
    expect(index.get(match.id)).toBe('a');
  });

  it('matches a brute-force float64 scan over many wide vectors, across storage growth', () => {
    const dims = 100; // not a multiple of 8: exercises the padded stride
    const index = new VectorIndex<number>({ dimensions: dims, maxEntries: 500, ttlMs: 1e9 });
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const vectors = Array.from({ length: 300 }, () =>
      l2Normalize(Float32Array.from({ length: dims }, random)),
    );
    vectors.forEach((v, i) => index.add(v, i));
    for (const query of vectors.slice(0, 20).map((v) => l2Normalize(v.map((x) => x + random() * 0.2)))) {
      let best = -1;
      let bestScore = -Infinity;
      vectors.forEach((v, i) => {
        const score = v.reduce((sum, x, d) => sum + x * query[d]!, 0);
        if (score > bestScore) [best, bestScore] = [i, score];
      });
      const match = index.search(query)!;
      expect(index.get(match.id)).toBe(best);
      expect(match.similarity).toBeCloseTo(bestScore, 4);
    }
  });

  it('finds the exact nearest neighbour of near-duplicates among 10k vectors despite the int8 shortlist', () => {
    const dims = 384;
    const random = seededRandom(11);
    const noise = () => random() - 0.5;
    const index = new VectorIndex<number>({ dimensions: dims, maxEntries: 10_000, ttlMs: 1e9 });
    const vectors = Array.from({ length: 10_000 }, () =>
      l2Normalize(Float32Array.from({ length: dims }, noise)),
    );
    vectors.forEach((v, i) => index.add(v, i));
    let agreed = 0;
    for (let q = 0; q < 200; q++) {
      // Paraphrase-like queries: a stored vector plus noise, so the top few candidates are close.
      const query = l2Normalize(vectors[q * 37]!.map((x) => x + noise() * 0.08));
      let best = -1;
      let bestScore = -Infinity;
      for (let i = 0; i < vectors.length; i++) {
        let score = 0;
        for (let d = 0; d < dims; d++) score += vectors[i]![d]! * query[d]!;
        if (score > bestScore) [best, bestScore] = [i, score];
      }
      const match = index.search(query)!;
      if (index.get(match.id) === best) agreed++;
      expect(match.similarity).toBeCloseTo(bestScore, 6);
    }
    expect(agreed).toBe(200);
  });

  it('never returns a removed or expired entry through the shortlist, even when it scores best', () => {
    const time = clock();
    const index = new VectorIndex<string>({ dimensions: 2, maxEntries: 20, ttlMs: 100, now: time.now });
    const ids = Array.from({ length: 12 }, (_, i) => index.add(unit(1, i / 100), `near-${i}`));
    time.advance(50);
    const far = index.add(unit(0, 1), 'far');
    for (const id of ids.slice(0, 6)) index.remove(id);
    expect(index.get(index.search(unit(1, 0))!.id)).toBe('near-6');
    time.advance(60); // the near ones expire, the far one does not
    expect(index.search(unit(1, 0))!.id).toBe(far);
  });

  it('never returns an expired entry and reuses its slot', () => {
    const time = clock();
    const index = new VectorIndex<string>({ dimensions: 2, maxEntries: 2, ttlMs: 100, now: time.now });
    const old = index.add(unit(1, 0), 'old');
    time.advance(60);
    index.add(unit(0, 1), 'newer');
    time.advance(50);
    expect(index.search(unit(1, 0))?.similarity).toBeCloseTo(0, 5); // only 'newer' is live
    expect(index.get(old)).toBeUndefined();
    index.add(unit(1, 1), 'third');
    expect(index.size).toBe(2);
  });

  it('evicts the least recently used entry when full', () => {
    const time = clock();
    const index = new VectorIndex<string>({ dimensions: 2, maxEntries: 2, ttlMs: 1e9, now: time.now });
    const a = index.add(unit(1, 0), 'a');
    time.advance(1);
    const b = index.add(unit(0, 1), 'b');
    time.advance(1);
    index.get(a); // a is now more recent than b
    time.advance(1);
    index.add(unit(-1, 0), 'c');
    expect(index.size).toBe(2);
    expect(index.get(b)).toBeUndefined();
    expect(index.get(a)).toBe('a');
  });

  it('removes entries and rejects vectors of the wrong width', () => {
    const index = new VectorIndex<string>({ dimensions: 2, maxEntries: 4, ttlMs: 1e9 });
    const id = index.add(unit(1, 0), 'a');
    expect(index.remove(id)).toBe(true);
    expect(index.remove(id)).toBe(false);
    expect(index.search(unit(1, 0))).toBeNull();
    expect(() => index.add(unit(1, 0, 0), 'x')).toThrow(/3 dimensions/);
    expect(index.search(unit(1, 0, 0))).toBeNull();
  });
});
