import { readFile } from 'node:fs/promises';
import { usdPerTokenToNanosPerMillion } from './decimal.ts';
import { normalizeName } from './names.ts';
import { addToIndex, createPriceIndex, type PriceIndex, type PricedModel } from './price-index.ts';
import type { ModelPrice, PriceTier } from './types.ts';
import { isRecord } from '../common/json.ts';

/**
 * Reads LiteLLM's model_prices_and_context_window.json: keys are model names,
 * often "provider/model"; prices are USD per token as JSON floats, converted
 * through their shortest decimal string, never multiplied as floats.
 */

type LiteLLMEntry = Record<string, unknown>;
type Rates = Omit<PriceTier, 'aboveInputTokens'>;

// LiteLLM's provider names -> the pricing provider ids the proxy passes.
const PROVIDER_IDS: Record<string, string> = {
  'text-completion-openai': 'openai',
  together_ai: 'together',
  gemini: 'google',
  'vertex_ai-language-models': 'google',
  'vertex_ai-anthropic_models': 'google',
  azure_ai: 'azure',
  bedrock_converse: 'bedrock',
};
const TIER_KEY = /^input_cost_per_token_above_(\d+)k_tokens$/;

export async function loadLiteLLMFile(file: string): Promise<PriceIndex> {
  const raw: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`${file}: expected LiteLLM's JSON object of models`);
  }
  return indexLiteLLM(raw as Record<string, unknown>);
}

/** Bare keys are indexed first so "gpt-4o" beats a prefix-stripped "azure/gpt-4o" for model-only lookups. */
export function indexLiteLLM(document: Record<string, unknown>): PriceIndex {
  const index = createPriceIndex();
  const entries: Array<[string, string, PricedModel]> = [];
  for (const [key, value] of Object.entries(document)) {
    if (key === 'sample_spec') continue;
    const price = isRecord(value) ? liteLLMPrice(value) : null;
    if (price) entries.push([key, providerOf(value as LiteLLMEntry, key), { id: key, price }]);
  }
  for (const [key, provider, entry] of entries) addToIndex(index, provider, normalizeName(key), entry);
  for (const [key, provider, entry] of entries) {
    const slash = key.indexOf('/');
    if (slash >= 0) addToIndex(index, provider, normalizeName(key.slice(slash + 1)), entry);
  }
  return index;
}

/** Null for entries that are not token-priced (images, audio, sample_spec) or carry bad numbers. */
export function liteLLMPrice(entry: LiteLLMEntry): ModelPrice | null {
  try {
    const base = rates(entry, '', null);
    if (!base) return null;
    const tiers = tierThresholds(entry).map((threshold) => tierAt(entry, threshold, base));
    return tiers.length > 0 ? { ...base, tiers } : base;
  } catch {
    return null;
  }
}

function rates(entry: LiteLLMEntry, suffix: string, base: Rates | null): Rates | null {
  const input = perToken(entry[`input_cost_per_token${suffix}`]);
  if (input === undefined) return null;
  const output = perToken(entry[`output_cost_per_token${suffix}`]) ?? base?.output ?? embeddingOutput(entry);
  if (output === undefined) return null;
  const result: Rates = { input, output };
  const optional = {
    cachedInput: perToken(entry[`cache_read_input_token_cost${suffix}`]),
    cacheWrite: perToken(entry[`cache_creation_input_token_cost${suffix}`]),
    cacheWrite1h: perToken(entry[oneHourKey(suffix)]),
  };
  for (const field of ['cachedInput', 'cacheWrite', 'cacheWrite1h'] as const) {
    const value = optional[field] ?? scaledFromBase(base, field, input);
    if (value !== undefined) result[field] = value;
  }
  return result;
}

function oneHourKey(suffix: string): string {
  return `cache_creation_input_token_cost_above_1hr${suffix}`;
}

/**
 * A long-context tier often lists only input/output. Vendors price cache
 * reads and writes as multiples of the input rate, so the missing ones keep
 * the base ratio instead of silently falling back to the full input price.
 */
function scaledFromBase(base: Rates | null, field: keyof Rates, tierInput: number): number | undefined {
  const baseValue = base?.[field];
  if (!base || baseValue === undefined || base.input === 0) return undefined;
  const scaled = BigInt(baseValue) * BigInt(tierInput);
  const divisor = BigInt(base.input);
  return Number((scaled + divisor / 2n) / divisor);
}

function tierThresholds(entry: LiteLLMEntry): number[] {
  const thresholds: number[] = [];
  for (const key of Object.keys(entry)) {
    const match = TIER_KEY.exec(key);
    if (match) thresholds.push(Number(match[1]) * 1000);
  }
  return thresholds.sort((a, b) => a - b);
}

function tierAt(entry: LiteLLMEntry, threshold: number, base: Rates): PriceTier {
  const tier = rates(entry, `_above_${threshold / 1000}k_tokens`, base);
  if (!tier) throw new Error('unreachable: tier key without its input price');
  return { aboveInputTokens: threshold, ...tier };
}

// Embedding models bill input only; some LiteLLM rows omit the zero output price.
function embeddingOutput(entry: LiteLLMEntry): number | undefined {
  return entry.mode === 'embedding' ? 0 : undefined;
}

function perToken(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') throw new Error('not a price');
  return usdPerTokenToNanosPerMillion(value);
}

function providerOf(entry: LiteLLMEntry, key: string): string {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  const provider = normalizeName(
    typeof entry.litellm_provider === 'string' ? entry.litellm_provider : prefix,
  );
  if (provider.startsWith('vertex_ai')) return 'google';
  return PROVIDER_IDS[provider] ?? provider;
}
