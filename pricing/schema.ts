import { z } from 'zod';
import { usdPerMillionToNanos, type UsdAmount } from './decimal.ts';
import type { ModelPrice, PriceTier } from './types.ts';

/**
 * The human-facing price shape shared by the catalog and user overrides:
 * USD per 1M tokens. The catalog insists on decimal strings (no float ever
 * enters the file); overrides from config may also be numbers.
 */

function usdPriceShape<T extends z.ZodType<UsdAmount>>(amount: T) {
  const tier = z.strictObject({
    aboveInputTokens: z.number().int().nonnegative(),
    input: amount,
    output: amount,
    cachedInput: amount.optional(),
    cacheWrite: amount.optional(),
    cacheWrite1h: amount.optional(),
  });
  return {
    input: amount,
    output: amount,
    cachedInput: amount.optional(),
    cacheWrite: amount.optional(),
    cacheWrite1h: amount.optional(),
    tiers: z.array(tier).optional(),
  };
}

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal string such as "2.50"');

export const usdPriceSchema = z.strictObject(usdPriceShape(z.union([z.string(), z.number()])));

export const catalogEntrySchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  ...usdPriceShape(decimalString),
  date: z.iso.date(),
  source: z.url({ protocol: /^https$/ }),
  note: z.string().optional(),
});

export const catalogFileSchema = z.object({
  description: z.string().optional(),
  models: z.array(catalogEntrySchema),
});

export type UsdPrice = z.infer<typeof usdPriceSchema>;
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

type UsdRates = Omit<UsdPrice, 'tiers'>;

/** Converts the USD shape to exact nano-dollars; `where` names the entry in errors. */
export function toModelPrice(usd: UsdPrice, where: string): ModelPrice {
  const price: ModelPrice = convertRates(usd, where);
  if (usd.tiers && usd.tiers.length > 0) {
    price.tiers = usd.tiers
      .map((tier): PriceTier => ({
        aboveInputTokens: tier.aboveInputTokens,
        ...convertRates(tier, `${where} tier above ${tier.aboveInputTokens}`),
      }))
      .sort((a, b) => a.aboveInputTokens - b.aboveInputTokens);
  }
  return price;
}

/** Parses user overrides (keys "provider/model" or bare "model"), failing with the offending key. */
export function parseOverrides(raw: unknown): Map<string, UsdPrice> {
  const parsed = z.record(z.string(), usdPriceSchema).safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`invalid price overrides:\n${z.prettifyError(parsed.error)}`);
  return new Map(Object.entries(parsed.data));
}

function convertRates(usd: UsdRates, where: string): Omit<PriceTier, 'aboveInputTokens'> {
  const rates: Omit<PriceTier, 'aboveInputTokens'> = {
    input: nanos(usd.input, where, 'input'),
    output: nanos(usd.output, where, 'output'),
  };
  if (usd.cachedInput !== undefined) rates.cachedInput = nanos(usd.cachedInput, where, 'cachedInput');
  if (usd.cacheWrite !== undefined) rates.cacheWrite = nanos(usd.cacheWrite, where, 'cacheWrite');
  if (usd.cacheWrite1h !== undefined) rates.cacheWrite1h = nanos(usd.cacheWrite1h, where, 'cacheWrite1h');
  return rates;
}

function nanos(value: UsdAmount, where: string, field: string): number {
  try {
    return usdPerMillionToNanos(value);
  } catch (error) {
    throw new Error(`${where}: ${field}: ${(error as Error).message}`, { cause: error });
  }
}
