import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../common/seeded-random.ts';
import { Balancer } from '../../../proxy/resilience/balancer.ts';

function tally(picks: readonly (string | null)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of picks) counts[String(id)] = (counts[String(id)] ?? 0) + 1;
  return counts;
}

function pickMany(balancer: Balancer, times: number, exclude?: Set<string>): (string | null)[] {
  return Array.from({ length: times }, () => balancer.pick(exclude));
}

describe('weighted (smooth weighted round-robin)', () => {
  it('gives a 3:1 pair 75% / 25%, interleaved rather than in runs', () => {
    const balancer = new Balancer('weighted', [
      { id: 'azure', weight: 3 },
      { id: 'openai', weight: 1 },
    ]);
    const picks = pickMany(balancer, 1_000);
    const counts = tally(picks);
    expect((counts.azure ?? 0) / 1_000).toBeCloseTo(0.75, 2);
    expect(picks.slice(0, 4)).toEqual(['azure', 'azure', 'openai', 'azure']);
  });

  it('is nginx’s sequence for weights 5, 1, 1', () => {
    const balancer = new Balancer('weighted', [{ id: 'a', weight: 5 }, { id: 'b' }, { id: 'c' }]);
    expect(pickMany(balancer, 7).join('')).toBe('aabacaa');
  });

  it('skips excluded and unavailable members, and gives null when none is left', () => {
    const down = new Set(['b']);
    const balancer = new Balancer('weighted', [{ id: 'a' }, { id: 'b' }, { id: 'c' }], {
      isAvailable: (id) => !down.has(id),
    });
    expect(tally(pickMany(balancer, 10))).toEqual({ a: 5, c: 5 });
    expect(pickMany(balancer, 3, new Set(['a']))).toEqual(['c', 'c', 'c']);
    expect(balancer.pick(new Set(['a', 'c']))).toBeNull();
    expect(balancer.hasEligible(new Set(['a', 'c']))).toBe(false);
    expect(balancer.hasEligible(new Set(['a']))).toBe(true);
    down.clear();
    expect(balancer.pick(new Set(['a', 'c']))).toBe('b');
  });

  it('rejects bad weights and duplicate ids; an empty group picks nothing', () => {
    expect(() => new Balancer('weighted', [{ id: 'a', weight: 0 }])).toThrow(/positive weight/);
    expect(() => new Balancer('weighted', [{ id: 'a', weight: Infinity }])).toThrow(/positive weight/);
    expect(() => new Balancer('weighted', [{ id: 'a' }, { id: 'a' }])).toThrow(/twice/);
    expect(new Balancer('least-busy', []).pick()).toBeNull();
  });
});

describe('least-latency', () => {
  it('tries unmeasured members first, in turn', () => {
    const balancer = new Balancer('least-latency', [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    expect(pickMany(balancer, 3)).toEqual(['a', 'b', 'c']);
    balancer.finished('b', { latencyMs: 100, ok: true });
    expect(pickMany(balancer, 2)).toEqual(['a', 'c']);
  });

  it('prefers the faster member after measurements, exploring about 5% of the time', () => {
    const balancer = new Balancer('least-latency', [{ id: 'slow' }, { id: 'fast' }], {
      random: seededRandom(7),
    });
    balancer.finished('slow', { latencyMs: 900, ok: true });
    balancer.finished('fast', { latencyMs: 200, ok: true });
    const counts = tally(pickMany(balancer, 2_000));
    expect((counts.fast ?? 0) / 2_000).toBeGreaterThan(0.93);
    expect((counts.slow ?? 0) / 2_000).toBeGreaterThan(0.03);
  });

  it('keeps a moving average, so one slow sample does not flip the choice', () => {
    const balancer = new Balancer('least-latency', [{ id: 'a' }, { id: 'b' }], { explore: 0 });
    balancer.finished('a', { latencyMs: 100, ok: true });
    balancer.finished('b', { latencyMs: 150, ok: true });
    balancer.finished('a', { latencyMs: 200, ok: true });
    expect(balancer.stats()[0]?.latencyMs).toBeCloseTo(130);
    expect(balancer.pick()).toBe('a');
    balancer.finished('a', { latencyMs: 300, ok: true });
    expect(balancer.pick()).toBe('b');
  });

  it('counts a fast failure as slow, and measures a member again after exploring it', () => {
    const random = (() => {
      const values = [0.01, 0];
      return () => values.shift() ?? 0.5;
    })();
    const balancer = new Balancer('least-latency', [{ id: 'a' }, { id: 'b' }], { random, alpha: 1 });
    balancer.finished('a', { latencyMs: 5, ok: false });
    balancer.finished('b', { latencyMs: 400, ok: true });
    expect(balancer.stats().map((m) => m.latencyMs)).toEqual([10_000, 400]);
    expect(balancer.pick()).toBe('a'); // explored
    balancer.finished('a', { latencyMs: 100, ok: true });
    expect(balancer.pick()).toBe('a');
  });

  it('breaks a latency tie by weight, then in turn', () => {
    const balancer = new Balancer(
      'least-latency',
      [{ id: 'a' }, { id: 'b', weight: 2 }, { id: 'c', weight: 2 }],
      {
        explore: 0,
      },
    );
    for (const id of ['a', 'b', 'c']) balancer.finished(id, { latencyMs: 50, ok: true });
    expect(pickMany(balancer, 4)).toEqual(['b', 'c', 'b', 'c']);
  });
});

describe('least-busy', () => {
  it('picks the member with fewest requests in flight, ties by weight then in turn', () => {
    const balancer = new Balancer('least-busy', [{ id: 'a' }, { id: 'b', weight: 2 }, { id: 'c' }]);
    expect(balancer.pick()).toBe('b');
    balancer.started('b');
    expect(pickMany(balancer, 3)).toEqual(['c', 'a', 'c']);
    balancer.started('a');
    expect(balancer.pick()).toBe('c');
    balancer.started('c');
    balancer.started('c');
    balancer.finished('b');
    expect(balancer.pick()).toBe('b');
    expect(balancer.stats().map((m) => m.inFlight)).toEqual([1, 0, 2]);
  });

  it('ignores unknown ids and never counts below zero', () => {
    const balancer = new Balancer('least-busy', [{ id: 'a' }]);
    balancer.started('ghost');
    balancer.finished('ghost', { latencyMs: 1, ok: true });
    balancer.finished('a');
    expect(balancer.stats()).toEqual([{ id: 'a', weight: 1, inFlight: 0, latencyMs: null }]);
  });
});
