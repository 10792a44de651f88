import type { TokenUsage } from '../contracts/usage.ts';
import type { ModelPrice, PriceTier } from './types.ts';

const TOKENS_PER_MILLION = 1_000_000n;

type Rates = Omit<PriceTier, 'aboveInputTokens'>;

/**
 * Exact cost of one request in integer nano-dollars.
 * Products of token counts and nano prices can pass 2^53, so the sum is built
 * in BigInt and divided (rounding half-up) exactly once.
 */
export function costNanos(usage: TokenUsage, price: ModelPrice): number {
  return costAtRates(usage, ratesFor(price, tokenCount(usage.inputTokens)));
}

/**
 * Cost of many requests summed into one usage record (a usage export's bucket). Long-context tiers are
 * chosen by the average prompt, since the export no longer says which request crossed the threshold.
 */
export function costNanosForRequests(usage: TokenUsage, price: ModelPrice, requests: number): number {
  const averagePrompt = requests > 0 ? tokenCount(usage.inputTokens) / requests : 0;
  return costAtRates(usage, ratesFor(price, averagePrompt));
}

function costAtRates(usage: TokenUsage, rates: Rates): number {
  const input = tokenCount(usage.inputTokens);
  const cached = tokenCount(usage.cachedInputTokens);
  const write5m = tokenCount(usage.cacheWriteTokens);
  const write1h = tokenCount(usage.cacheWrite1hTokens);
  // A provider reporting more cached than total tokens must not earn a refund.
  const uncached = Math.max(0, input - cached - write5m - write1h);
  const total =
    times(uncached, rates.input) +
    times(cached, rates.cachedInput ?? rates.input) +
    times(write5m, rates.cacheWrite ?? rates.input) +
    times(write1h, rates.cacheWrite1h ?? rates.input) +
    times(tokenCount(usage.outputTokens), rates.output);
  return Number((total + TOKENS_PER_MILLION / 2n) / TOKENS_PER_MILLION);
}

/** The highest tier whose threshold the prompt exceeds, else the base rates. */
export function ratesFor(price: ModelPrice, inputTokens: number): Rates {
  let chosen: Rates = price;
  let chosenThreshold = -1;
  for (const tier of price.tiers ?? []) {
    if (inputTokens > tier.aboveInputTokens && tier.aboveInputTokens > chosenThreshold) {
      chosen = tier;
      chosenThreshold = tier.aboveInputTokens;
    }
  }
  return chosen;
}

function times(tokens: number, nanosPerMillion: number): bigint {
  return BigInt(tokens) * BigInt(rate(nanosPerMillion));
}

// Usage is produced by our own parsers, but a bad count must cost nothing rather than throw mid-request.
function tokenCount(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function rate(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
