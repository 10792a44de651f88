import { createRequire } from 'node:module';
import type * as GenaiPrices from '@pydantic/genai-prices';
import { usdPerMillionToNanos } from './decimal.ts';
import type { ModelPrice, PriceQuote, PriceTier } from './types.ts';

/** The last resort for models no other source prices: @pydantic/genai-prices' bundled data. */
export type FallbackPricer = (provider: string, candidates: string[]) => PriceQuote | null;

export type Genai = typeof GenaiPrices;
type GenaiValue = number | { base: number; tiers: Array<{ start: number; price: number }> } | undefined;
type Rates = Omit<PriceTier, 'aboveInputTokens'>;

const FIELDS = {
  input: 'input_mtok',
  output: 'output_mtok',
  cachedInput: 'cache_read_mtok',
  cacheWrite: 'cache_write_mtok',
  cacheWrite1h: 'cache_write_1h_mtok',
} as const satisfies Record<keyof Rates, string>;

/**
 * The package's data is large, so it is required on the first miss only: a
 * proxy whose models are all in the catalog never pays its memory.
 */
export function createGenaiPricesFallback(load: () => Genai = requireGenai): FallbackPricer {
  let genai: Genai | null | undefined;
  return (provider, candidates) => {
    if (genai === undefined) genai = tryLoad(load);
    if (genai === null) return null;
    const providerId = knownProvider(genai, provider);
    for (const model of candidates) {
      const quote = quoteFor(genai, model, providerId);
      if (quote) return quote;
    }
    return null;
  };
}

/** The package itself, loaded on first use so a proxy that never needs it never pays for it. */
export function requireGenai(): Genai {
  return createRequire(import.meta.url)('@pydantic/genai-prices') as Genai;
}

/** The package, or null when it cannot be loaded: prices then come only from the catalog. */
export function tryLoad(load: () => Genai): Genai | null {
  try {
    return load();
  } catch {
    return null;
  }
}

/** genai-prices answers null for a provider it does not know, so those match on the model alone. */
function knownProvider(genai: Genai, provider: string): string | undefined {
  try {
    return genai.findProvider({ providerId: provider }) ? provider : undefined;
  } catch {
    return undefined;
  }
}

function quoteFor(genai: Genai, model: string, providerId: string | undefined): PriceQuote | null {
  try {
    const result = genai.calcPrice({}, model, providerId === undefined ? {} : { providerId });
    if (!result) return null;
    const price = genaiModelPrice(result.model_price);
    return price && { price, source: 'genai-prices', id: `${result.provider.id}/${result.model.id}` };
  } catch {
    return null;
  }
}

/** Maps a genai-prices model_price (USD per 1M, plain or tiered on input tokens) to nano-dollars. */
export function genaiModelPrice(modelPrice: Record<string, unknown>): ModelPrice | null {
  const values = Object.fromEntries(
    Object.entries(FIELDS).map(([field, key]) => [field, modelPrice[key] as GenaiValue]),
  ) as Record<keyof Rates, GenaiValue>;
  if (values.input === undefined) return null;
  const price: ModelPrice = ratesAt(values, -1);
  const thresholds = tierStarts(values);
  if (thresholds.length > 0) {
    price.tiers = thresholds.map((start) => ({ aboveInputTokens: start, ...ratesAt(values, start) }));
  }
  return price;
}

function ratesAt(values: Record<keyof Rates, GenaiValue>, threshold: number): Rates {
  const rates: Rates = {
    input: valueAt(values.input, threshold) ?? 0,
    output: valueAt(values.output, threshold) ?? 0,
  };
  for (const field of ['cachedInput', 'cacheWrite', 'cacheWrite1h'] as const) {
    const value = valueAt(values[field], threshold);
    if (value !== undefined) rates[field] = value;
  }
  return rates;
}

/** The price a field has for prompts just above `threshold` (genai-prices applies a tier when tokens > start). */
function valueAt(value: GenaiValue, threshold: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return usdPerMillionToNanos(value);
  let usd = value.base;
  for (const tier of [...value.tiers].sort((a, b) => a.start - b.start)) {
    if (tier.start <= threshold) usd = tier.price;
  }
  return usdPerMillionToNanos(usd);
}

function tierStarts(values: Record<keyof Rates, GenaiValue>): number[] {
  const starts = new Set<number>();
  for (const value of Object.values(values)) {
    if (value !== undefined && typeof value !== 'number')
      value.tiers.forEach((tier) => starts.add(tier.start));
  }
  return [...starts].sort((a, b) => a - b);
}
