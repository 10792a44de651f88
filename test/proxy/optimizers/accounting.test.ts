import { describe, expect, it } from 'vitest';
import type { TokenUsage } from '../../../contracts/usage.ts';
import { accountFor, noCounterfactual } from '../../../proxy/forward/accounting.ts';
import type { Pricing } from '../../../proxy/forward/exchange.ts';
import type { Deployment } from '../../../proxy/router.ts';

/** Whole-number prices per token in nanos, so every expected figure can be checked by hand. */
const PRICES: Record<string, { input: number; cached: number; write: number; output: number }> = {
  big: { input: 100, cached: 10, write: 125, output: 400 },
  small: { input: 10, cached: 1, write: 12, output: 40 },
};

const pricing: Pricing = {
  price(deployment, _served, usage) {
    const p = PRICES[deployment.upstreamModel]!;
    const uncached = usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens;
    const cost =
      uncached * p.input +
      usage.cachedInputTokens * p.cached +
      usage.cacheWriteTokens * p.write +
      usage.outputTokens * p.output;
    return { costNanos: cost, source: 'test' };
  },
};

function deployment(model: string): Deployment {
  return {
    name: model,
    providerName: 'p',
    provider: {} as Deployment['provider'],
    upstreamModel: model,
    project: null,
    route: { name: model, provider: 'p', weight: 1, fallbacks: [] },
  };
}
const big = deployment('big');
const small = deployment('small');

function usage(input: number, output: number, cached = 0, written = 0): TokenUsage {
  return {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: cached,
    cacheWriteTokens: written,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
  };
}

describe('counterfactual accounting', () => {
  it('books nothing saved when nothing was optimized, keeping the client’s own caching', () => {
    const result = accountFor(noCounterfactual(big), big, 'big', usage(1000, 100, 800), pricing);
    // 200 × 100 + 800 × 10 + 100 × 400 = 68,000.
    expect(result).toEqual({
      costNanos: 68_000,
      baselineCostNanos: 68_000,
      savings: {},
      priceSource: 'test',
    });
  });

  it('splits baseline − actual across compression, routing, prompt caching and the tier, exactly', () => {
    const counterfactual = {
      ...noCounterfactual(big),
      compression: { before: 1500, after: 1000 },
      promptCaching: true,
      tierDiscount: 0.5,
    };
    const result = accountFor(counterfactual, small, 'small', usage(1000, 100, 600), pricing);
    const c0 = 1500 * 100 + 100 * 400; // requested model, uncompressed, uncached: 190,000
    const c1 = 1000 * 100 + 100 * 400; // requested model, as sent: 140,000
    const c2 = 1000 * 10 + 100 * 40; // served model, uncached: 14,000
    const c3 = 400 * 10 + 600 * 1 + 100 * 40; // served model, as billed: 8,600
    expect(result.baselineCostNanos).toBe(c0);
    expect(result.costNanos).toBe(c3 / 2);
    expect(result.savings).toEqual({
      compression: c0 - c1,
      routing: c1 - c2,
      prompt_caching: c2 - c3,
      service_tier: c3 / 2,
    });
    const saved = Object.values(result.savings).reduce((sum, nanos) => sum + nanos, 0);
    expect(saved).toBe(result.baselineCostNanos - result.costNanos);
  });

  it('charges a cascade’s wasted first attempt to routing, which can then lose money', () => {
    const counterfactual = { ...noCounterfactual(big), wastedCostNanos: 5_000 };
    const result = accountFor(counterfactual, big, 'big', usage(100, 10), pricing);
    expect(result.costNanos).toBe(14_000 + 5_000);
    expect(result.savings).toEqual({ routing: -5_000 });
  });

  it('books a cache hit as free, saving the baseline of the request that filled the entry', () => {
    const counterfactual = {
      ...noCounterfactual(big),
      cacheHit: { optimizer: 'semantic_cache' as const, baselineCostNanos: 42_000 },
    };
    expect(accountFor(counterfactual, big, 'big', usage(100, 10), pricing)).toEqual({
      costNanos: 0,
      baselineCostNanos: 42_000,
      savings: { semantic_cache: 42_000 },
      priceSource: 'cache',
    });
  });

  it('has no baseline for a request that never produced usage', () => {
    expect(accountFor(noCounterfactual(big), big, null, null, pricing)).toMatchObject({
      costNanos: 0,
      baselineCostNanos: 0,
      savings: {},
    });
  });
});
