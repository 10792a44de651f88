/**
 * Prices in integer nano-dollars (1e-9 USD) per 1M tokens. At that unit every
 * published per-token price is a whole number, so costs stay exact.
 */

/** Rates that replace the base ones when a request's whole prompt exceeds a size (long-context pricing). */
export interface PriceTier {
  /** Applies when inputTokens (the whole prompt, cache reads and writes included) is strictly greater. */
  aboveInputTokens: number;
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
}

export interface ModelPrice {
  /** Uncached prompt tokens. */
  input: number;
  /** Completion tokens, reasoning included. */
  output: number;
  /** Cache reads; the input price when absent. */
  cachedInput?: number;
  /** Cache writes with the default (5-minute) TTL; the input price when absent. */
  cacheWrite?: number;
  /** Cache writes with a 1-hour TTL; the input price when absent. */
  cacheWrite1h?: number;
  tiers?: readonly PriceTier[];
}

export type PriceSource = 'override' | 'catalog' | 'litellm' | 'genai-prices';

export interface PriceQuote {
  price: ModelPrice;
  source: PriceSource;
  /** The entry that matched, e.g. "openai/gpt-4o" or a LiteLLM key; for logs and the dashboard. */
  id: string;
}

export interface PriceBook {
  /** Synchronous and memoized: it runs on the proxy's hot path. Null when no source prices the model. */
  lookup(provider: string, model: string): PriceQuote | null;
}
