/**
 * The one cost model every imported bill or usage export is normalized to: FOCUS columns
 * (https://focus.finops.org) plus LLM detail where the source has it. Money is integer nano-units of
 * `billingCurrency` (1e-9), token counts are integers; `consumedQuantity` is the only float (hours and
 * the like are fractional in every bill).
 */

/**
 * `cost` rows are what a bill charged (OpenAI/Anthropic cost reports, CUR, FOCUS, GCP, Azure);
 * `usage` rows are token usage whose cost Apex estimated from list prices (usage reports, Apex's log).
 * Where both describe the same provider and day, spend totals use the `cost` rows.
 */
export type CostRowKind = 'cost' | 'usage';

/** FOCUS PricingCategory, reduced to what the findings need. */
export type PricingCategory = 'on-demand' | 'spot' | 'commitment' | 'other';

export interface CostRow {
  kind: CostRowKind;
  /** ChargePeriodStart / ChargePeriodEnd, milliseconds since the epoch (end exclusive). */
  chargePeriodStart: number;
  chargePeriodEnd: number;
  /** Lower-case provider that billed it: openai, anthropic, aws, gcp, azure, or a proxy provider name. */
  provider: string;
  /** FOCUS ServiceName, e.g. "Amazon Elastic Compute Cloud", "OpenAI API", "Vertex AI". */
  serviceName: string;
  serviceCategory: string | null;
  /** Billing or sub-account (AWS usage account, GCP project, Azure subscription, OpenAI org). */
  account: string | null;
  region: string | null;
  resourceId: string | null;
  /** Instance or machine type for compute rows (p4d.24xlarge, a2-highgpu-1g, Standard_NC24ads_A100_v4). */
  resourceType: string | null;
  /** FOCUS SkuId, or the nearest thing the source has (usage type, line item, meter). */
  skuId: string | null;
  chargeDescription: string | null;
  pricingCategory: PricingCategory | null;
  billedCostNanos: number;
  effectiveCostNanos: number;
  /** What the usage would cost at public on-demand prices, where the source says. */
  listCostNanos: number | null;
  consumedQuantity: number | null;
  consumedUnit: string | null;
  billingCurrency: string;
  tags: Readonly<Record<string, string>> | null;
  // LLM detail
  model: string | null;
  project: string | null;
  apiKey: string | null;
  /** Whole prompt, including the cached and cache-write parts below (as in contracts/usage.ts). */
  inputTokens: number | null;
  cachedInputTokens: number | null;
  cacheWriteTokens: number | null;
  outputTokens: number | null;
  requests: number | null;
  /** True for Batch API traffic (OpenAI `batch`, Anthropic `service_tier: batch`). */
  batch: boolean | null;
  /** Normalized prompt text, only from Apex's own log; the duplicate-prompt finding reads it. */
  prompt: string | null;
}

/** Where a stored row came from, so every figure can be traced to its evidence. */
export interface RowOrigin {
  file: string;
  /** 1-based line in a text file (the record's first line), or 1-based row number in a Parquet file. */
  line: number;
}
