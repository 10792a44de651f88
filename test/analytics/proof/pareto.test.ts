import { describe, expect, it } from 'vitest';
import type { ParetoPoint } from '../../../contracts/savings.ts';
import { dominates, paretoFrontiers } from '../../../analytics/proof/pareto.ts';

const point = (id: string, cost: number, latency: number, quality: number, route = 'chat'): ParetoPoint => ({
  id,
  route,
  costNanosPerRequest: cost,
  latencyMsP50: latency,
  quality,
});

describe('Pareto frontier', () => {
  it('keeps the non-dominated configurations sorted by cost and says whom each dominates', () => {
    const routes = paretoFrontiers([
      point('premium', 900, 300, 0.99),
      point('cheap', 100, 800, 0.9),
      point('balanced', 400, 400, 0.97),
      point('worse-than-balanced', 500, 450, 0.96),
      point('worse-than-all', 950, 900, 0.5),
    ]);
    expect(routes).toHaveLength(1);
    const chat = routes[0]!;
    expect(chat.frontier.map((p) => p.id)).toEqual(['cheap', 'balanced', 'premium']);
    expect(chat.frontier.find((p) => p.id === 'balanced')!.dominates).toEqual([
      'worse-than-all',
      'worse-than-balanced',
    ]);
    expect(chat.frontier.find((p) => p.id === 'cheap')!.dominates).toEqual(['worse-than-all']);
    expect(chat.frontier.find((p) => p.id === 'premium')!.dominates).toEqual(['worse-than-all']);
    expect(chat.dominated).toEqual(['worse-than-all', 'worse-than-balanced']);
  });

  it('needs strict improvement somewhere: identical points both stay, in id order', () => {
    const a = point('b-config', 100, 100, 0.9);
    const b = point('a-config', 100, 100, 0.9);
    expect(dominates(a, b)).toBe(false);
    const [chat] = paretoFrontiers([a, b, point('slower', 100, 101, 0.9)]);
    expect(chat!.frontier.map((p) => p.id)).toEqual(['a-config', 'b-config']);
    expect(chat!.frontier.every((p) => p.dominates.length === 1 && p.dominates[0] === 'slower')).toBe(true);
    // Equal cost and latency: quality alone decides.
    expect(dominates(point('x', 1, 1, 0.9), point('y', 1, 1, 0.8))).toBe(true);
  });

  it('is deterministic whatever the input order', () => {
    const points = [
      point('m', 300, 300, 0.95),
      point('n', 300, 300, 0.95),
      point('o', 200, 500, 0.95),
      point('p', 200, 500, 0.9),
    ];
    const expected = JSON.stringify(paretoFrontiers(points));
    expect(JSON.stringify(paretoFrontiers([...points].reverse()))).toBe(expected);
    expect(JSON.stringify(paretoFrontiers([points[2]!, points[0]!, points[3]!, points[1]!]))).toBe(expected);
  });

  it('splits by route, sorted by name, and treats unknown values as worst', () => {
    const routes = paretoFrontiers([
      point('x', 100, Number.NaN, 0.9, 'summarize'),
      point('y', 200, 100, 0.9, 'summarize'),
      point('z', 100, 100, 1, 'classify'),
    ]);
    expect(routes.map((r) => r.route)).toEqual(['classify', 'summarize']);
    const summarize = routes[1]!;
    // x is cheaper, so y cannot dominate it even though x's latency is unknown.
    expect(summarize.frontier.map((p) => p.id)).toEqual(['x', 'y']);
    expect(paretoFrontiers([point('lonely', Number.NaN, Number.NaN, Number.NaN)])[0]!.frontier).toHaveLength(
      1,
    );
    expect(paretoFrontiers([])).toEqual([]);
  });
});
