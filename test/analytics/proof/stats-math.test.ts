import { describe, expect, it } from 'vitest';
import {
  meanAndVariance,
  normalCdf,
  normalQuantile,
  normalSource,
  seededRandom,
  tQuantile,
} from '../../../analytics/proof/stats-math.ts';

describe('distribution functions', () => {
  it('matches published normal quantiles and inverts the CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 6);
    expect(normalQuantile(0.99999)).toBeCloseTo(4.264891, 5);
    for (const p of [0.0001, 0.02, 0.3, 0.7, 0.9999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
  });

  it("matches Student's t tables, including real degrees of freedom", () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.7062],
      [0.975, 2, 4.302653],
      [0.975, 4, 2.776445],
      [0.975, 9, 2.262157],
      [0.975, 30, 2.042272],
      [0.995, 5, 4.032143],
      [0.975, 1000, 1.962339],
    ];
    for (const [p, df, t] of table) expect(tQuantile(p, df)).toBeCloseTo(t, 3);
    expect(tQuantile(0.025, 9)).toBeCloseTo(-2.262157, 4);
    // Fractional df must fall between its integer neighbours.
    const t95 = tQuantile(0.975, 9.5);
    expect(t95).toBeLessThan(tQuantile(0.975, 9));
    expect(t95).toBeGreaterThan(tQuantile(0.975, 10));
    expect(tQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 6);
  });
});

describe('random sources', () => {
  it('is reproducible per seed and looks standard normal', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    const normal = normalSource(seededRandom(3));
    const draws = Array.from({ length: 20_000 }, normal);
    const { mean, variance } = meanAndVariance(draws);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.96);
    expect(variance).toBeLessThan(1.04);
  });

  it('computes an unbiased variance without cancellation at nano-dollar magnitudes', () => {
    const { n, mean, variance } = meanAndVariance([1e12 + 1, 1e12 + 2, 1e12 + 3]);
    expect(n).toBe(3);
    expect(mean).toBe(1e12 + 2);
    expect(variance).toBe(1);
    expect(meanAndVariance([5]).variance).toBeNaN();
  });
});
