import { costNanos } from '../../pricing/cost.ts';
import { requireGenai, tryLoad, type Genai } from '../../pricing/genai.ts';
import { usdPerMillionToNanos } from '../../pricing/decimal.ts';
import type { ModelPrice } from '../../pricing/types.ts';
import { pricingProviderOf } from '../deployment-pricing.ts';
import type { Pricing } from '../forward/exchange.ts';
import type { Deployment } from '../router.ts';
import { textPart, type RealtimeTokens } from './usage.ts';

/** Nano-dollars per 1M tokens for the parts of a realtime response that are not text. */
export interface ModalityRates {
  audio: ModelPrice | null;
  image: ModelPrice | null;
}

/** Audio and image rates of a model, or null when no source knows them. */
export type ModalityRateLookup = (provider: string, models: readonly string[]) => ModalityRates | null;

/**
 * The price book (overrides, catalog, LiteLLM, genai-prices) carries text rates only. The realtime
 * models bill audio at several times the text rate (gpt-realtime: $32 vs $4 per 1M input tokens),
 * so audio and image rates come from @pydantic/genai-prices' data, which lists them per model
 * (input_audio_mtok, cache_audio_read_mtok, output_audio_mtok, input_image_mtok, cache_image_read_mtok).
 */
export function genaiModalityRates(load: () => Genai = requireGenai): ModalityRateLookup {
  let genai: Genai | null | undefined;
  const memo = new Map<string, ModalityRates | null>();
  return (provider, models) => {
    const key = `${provider}\0${models.join('\0')}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    if (genai === undefined) genai = tryLoad(load);
    const rates = genai === null ? null : lookup(genai, provider, models);
    if (memo.size >= 1000) memo.clear();
    memo.set(key, rates);
    return rates;
  };
}

function lookup(genai: Genai, provider: string, models: readonly string[]): ModalityRates | null {
  for (const model of models) {
    const price = modelPrice(genai, provider, model);
    if (!price) continue;
    const audio = ratesFrom(price, 'input_audio_mtok', 'cache_audio_read_mtok', 'output_audio_mtok');
    const image = ratesFrom(price, 'input_image_mtok', 'cache_image_read_mtok', null);
    return audio || image ? { audio, image } : null;
  }
  return null;
}

function modelPrice(genai: Genai, provider: string, model: string): Record<string, unknown> | null {
  try {
    const known = genai.findProvider({ providerId: provider }) ? provider : undefined;
    const result = genai.calcPrice({}, model, known === undefined ? {} : { providerId: known });
    return result ? (result.model_price as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Tiered (object) values are not used by any realtime model; they fall back to text rates. */
function ratesFrom(
  price: Record<string, unknown>,
  input: string,
  cached: string,
  output: string | null,
): ModelPrice | null {
  const inputUsd = price[input];
  if (typeof inputUsd !== 'number') return null;
  const cachedUsd = price[cached];
  const outputUsd = output === null ? undefined : price[output];
  return {
    input: usdPerMillionToNanos(inputUsd),
    cachedInput: usdPerMillionToNanos(typeof cachedUsd === 'number' ? cachedUsd : inputUsd),
    output: typeof outputUsd === 'number' ? usdPerMillionToNanos(outputUsd) : 0,
  };
}

/** Sources whose text rate is a list price, to which the model's list audio rate belongs. */
const LIST_PRICE_SOURCES: ReadonlySet<string> = new Set(['catalog', 'litellm', 'genai-prices']);

/**
 * Prices one realtime response. Text tokens go through the same pricing as HTTP requests; audio and
 * image tokens at their own rates when known. A user's price override, a self-hosted server or an
 * unpriced model keep a single rate for every token: the override is the user's word for the
 * model, and a list audio price would contradict it.
 */
export function priceRealtime(
  pricing: Pricing,
  rates: ModalityRateLookup,
  deployment: Deployment,
  modelServed: string | null,
  tokens: RealtimeTokens,
): { costNanos: number; source: string | null } {
  const whole = pricing.price(deployment, modelServed, tokens.usage);
  if (whole.source === null || !LIST_PRICE_SOURCES.has(whole.source)) return whole;
  const provider = pricingProviderOf(deployment.provider);
  const known = provider === null ? null : rates(provider, candidateModels(deployment, modelServed));
  if (!known || (!known.audio && !known.image)) return whole;
  const text = textPart(tokens, { audio: known.audio !== null, image: known.image !== null });
  let cost = pricing.price(deployment, modelServed, text).costNanos;
  if (known.audio) cost += costNanos(modalityUsage(tokens.audio, tokens.audio.output), known.audio);
  if (known.image) cost += costNanos(modalityUsage(tokens.image, 0), known.image);
  return { costNanos: cost, source: whole.source };
}

/** The names the model is priced under, as deployment pricing tries them. */
function candidateModels(deployment: Deployment, modelServed: string | null): string[] {
  const names = [modelServed, deployment.upstreamModel];
  if (!deployment.route.name.includes('*')) names.push(deployment.route.name);
  return [...new Set(names.filter((name): name is string => Boolean(name)))];
}

function modalityUsage(part: { input: number; cachedInput: number }, output: number) {
  return {
    inputTokens: part.input,
    outputTokens: output,
    cachedInputTokens: part.cachedInput,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
  };
}
