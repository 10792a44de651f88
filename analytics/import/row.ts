import type { CostRow } from '../../contracts/cost.ts';
import { costNanosForRequests } from '../../pricing/cost.ts';
import type { MapContext } from './types.ts';

type Required = Pick<CostRow, 'kind' | 'chargePeriodStart' | 'chargePeriodEnd' | 'provider' | 'serviceName'>;

/** A row with every optional column null; formats fill in what their source has. */
export function costRow(fields: Required & Partial<CostRow>): CostRow {
  const billed = fields.billedCostNanos ?? 0;
  return {
    serviceCategory: null,
    account: null,
    region: null,
    resourceId: null,
    resourceType: null,
    skuId: null,
    chargeDescription: null,
    pricingCategory: null,
    billedCostNanos: billed,
    effectiveCostNanos: fields.effectiveCostNanos ?? billed,
    listCostNanos: null,
    consumedQuantity: null,
    consumedUnit: null,
    billingCurrency: 'USD',
    tags: null,
    model: null,
    project: null,
    apiKey: null,
    inputTokens: null,
    cachedInputTokens: null,
    cacheWriteTokens: null,
    outputTokens: null,
    requests: null,
    batch: null,
    prompt: null,
    ...fields,
  };
}

export interface UsageTokens {
  /** Whole prompt: uncached, cache reads and cache writes together. */
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  outputTokens: number;
  requests: number | null;
  batch: boolean;
}

/** Batch APIs bill half of the standard rate at both OpenAI and Anthropic. */
const BATCH_DISCOUNT_DIVISOR = 2;

/**
 * The list-price cost of token usage that a usage export reports without money; 0 for a model no
 * price source knows (the row still counts tokens and requests).
 */
export function estimateUsageCost(
  context: MapContext,
  provider: string,
  model: string,
  usage: UsageTokens,
): number {
  const quote = context.prices.lookup(provider, model);
  if (!quote) return 0;
  const nanos = costNanosForRequests({ ...usage, reasoningTokens: 0 }, quote.price, usage.requests ?? 0);
  return usage.batch ? Math.round(nanos / BATCH_DISCOUNT_DIVISOR) : nanos;
}
