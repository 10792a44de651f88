import type { OptimizerName, OptimizerSavings } from '../../contracts/optimization.ts';
import type { TokenUsage } from '../../contracts/usage.ts';
import type { Deployment } from '../router.ts';
import type { Pricing } from './exchange.ts';

/** What the optimizers changed about one request, as accounting needs to know it. */
export interface Counterfactual {
  /** Where the request would have gone without Apex (before routing). */
  requested: Deployment | null;
  /** Estimated prompt tokens before and after compression; null when nothing was removed. */
  compression: { before: number; after: number } | null;
  /** Apex changed the request so the provider could cache it (breakpoints, stable prefix). */
  promptCaching: boolean;
  /** Share of the token price the provider's tier took off (0.5 on flex), 0 at the standard tier. */
  tierDiscount: number;
  /** Answered from a cache: the baseline of the request that filled it. */
  cacheHit: { optimizer: 'exact_cache' | 'semantic_cache'; baselineCostNanos: number } | null;
  /** What earlier attempts of a cascade cost before it escalated. */
  wastedCostNanos: number;
}

export interface Accounted {
  costNanos: number;
  baselineCostNanos: number;
  savings: OptimizerSavings;
  priceSource: string | null;
}

export function noCounterfactual(requested: Deployment | null): Counterfactual {
  return {
    requested,
    compression: null,
    promptCaching: false,
    tierDiscount: 0,
    cacheHit: null,
    wastedCostNanos: 0,
  };
}

/**
 * Prices the request as served and as it would have been, and splits the difference by optimizer.
 * The chain walks from the baseline back to the actual cost, one optimizer at a time, so the
 * savings add up to exactly baseline − actual:
 *   c0 requested model, prompt before compression  → compression = c0 − c1
 *   c1 requested model, prompt as sent             → routing     = c1 − c2 − cascade waste
 *   c2 served model, without Apex-induced caching   → prompt_caching = c2 − c3
 *   c3 served model, as billed at standard tier    → service_tier = c3 − actual
 * Provider caching the client arranged itself is not Apex's saving: then c2 keeps the cache split.
 * Output tokens are assumed unchanged by every optimizer (the answer is the same answer).
 */
export function accountFor(
  counterfactual: Counterfactual,
  served: Deployment | null,
  modelServed: string | null,
  usage: TokenUsage | null,
  pricing: Pricing,
): Accounted {
  const hit = counterfactual.cacheHit;
  if (hit) {
    const savings = hit.baselineCostNanos > 0 ? { [hit.optimizer]: hit.baselineCostNanos } : {};
    return { costNanos: 0, baselineCostNanos: hit.baselineCostNanos, savings, priceSource: 'cache' };
  }
  if (!served || !usage) {
    const waste = counterfactual.wastedCostNanos;
    return {
      costNanos: waste,
      baselineCostNanos: 0,
      savings: waste ? { routing: -waste } : {},
      priceSource: null,
    };
  }
  const billed = pricing.price(served, modelServed, usage);
  const uncached = counterfactual.promptCaching ? withoutCache(usage) : usage;
  const requested = counterfactual.requested ?? served;
  const routed = served !== requested;
  const c3 = billed.costNanos;
  const c2 = counterfactual.promptCaching ? pricing.price(served, modelServed, uncached).costNanos : c3;
  const c1 = routed ? pricing.price(requested, null, uncached).costNanos : c2;
  const c0 = counterfactual.compression
    ? pricing.price(
        requested,
        routed ? null : modelServed,
        uncompressed(uncached, counterfactual.compression),
      ).costNanos
    : c1;
  const actual = c3 - Math.floor(c3 * counterfactual.tierDiscount) + counterfactual.wastedCostNanos;
  const savings = nonZero({
    compression: c0 - c1,
    routing: c1 - c2 - counterfactual.wastedCostNanos,
    prompt_caching: c2 - c3,
    service_tier: Math.floor(c3 * counterfactual.tierDiscount),
  });
  return { costNanos: actual, baselineCostNanos: c0, savings, priceSource: billed.source };
}

function withoutCache(usage: TokenUsage): TokenUsage {
  return { ...usage, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0 };
}

/** The prompt the client sent, scaled from the billed prompt by the estimator's before/after ratio. */
function uncompressed(usage: TokenUsage, compression: { before: number; after: number }): TokenUsage {
  if (compression.after <= 0 || compression.before <= compression.after) return usage;
  const removed = Math.round(
    (usage.inputTokens * (compression.before - compression.after)) / compression.after,
  );
  return { ...usage, inputTokens: usage.inputTokens + removed };
}

function nonZero(savings: Record<OptimizerName, number> | OptimizerSavings): OptimizerSavings {
  const kept: OptimizerSavings = {};
  for (const [name, nanos] of Object.entries(savings) as Array<[OptimizerName, number]>) {
    if (nanos !== 0) kept[name] = nanos;
  }
  return kept;
}
