import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenUsage } from '../../contracts/usage.ts';
import { costNanos } from '../../pricing/cost.ts';
import type { ModelPrice } from '../../pricing/types.ts';

const nanoPrice = fc.integer({ min: 0, max: 200_000_000_000 }); // up to $200 per 1M tokens
const count = fc.integer({ min: 0, max: 5_000_000 });

const flatPrice: fc.Arbitrary<ModelPrice> = fc.record(
  {
    input: nanoPrice,
    output: nanoPrice,
    cachedInput: nanoPrice,
    cacheWrite: nanoPrice,
    cacheWrite1h: nanoPrice,
  },
  { requiredKeys: ['input', 'output'] },
);

const tieredPrice: fc.Arbitrary<ModelPrice> = fc
  .tuple(flatPrice, fc.array(fc.tuple(count, flatPrice), { maxLength: 3 }))
  .map(([base, tiers]) => ({
    ...base,
    tiers: tiers.map(([aboveInputTokens, rates]) => ({ aboveInputTokens, ...rates })),
  }));

/** Usage whose parts fit inside the prompt, as the parsers produce it. */
const consistentUsage: fc.Arbitrary<TokenUsage> = fc
  .tuple(count, count, count, count, count, count)
  .map(([uncached, cached, write5m, write1h, output, reasoningShare]) => ({
    inputTokens: uncached + cached + write5m + write1h,
    cachedInputTokens: cached,
    cacheWriteTokens: write5m,
    cacheWrite1hTokens: write1h,
    outputTokens: output,
    reasoningTokens: Math.min(output, reasoningShare),
  }));

/** Anything at all, including counts a confused provider might report. */
const anyUsage: fc.Arbitrary<TokenUsage> = fc.record({
  inputTokens: count,
  outputTokens: count,
  cachedInputTokens: count,
  cacheWriteTokens: count,
  cacheWrite1hTokens: count,
  reasoningTokens: count,
});

function add(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

describe('costNanos properties', () => {
  it('is a non-negative safe integer for any usage and any (tiered) price', () => {
    fc.assert(
      fc.property(anyUsage, tieredPrice, (usage, price) => {
        const cost = costNanos(usage, price);
        expect(Number.isSafeInteger(cost)).toBe(true);
        expect(cost).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('is additive up to one nano of rounding: cost(a+b) vs cost(a)+cost(b)', () => {
    fc.assert(
      fc.property(consistentUsage, consistentUsage, flatPrice, (a, b, price) => {
        const whole = costNanos(add(a, b), price);
        const parts = costNanos(a, price) + costNanos(b, price);
        expect(Math.abs(whole - parts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it('never charges less when more tokens of any kind are used (same tier)', () => {
    fc.assert(
      fc.property(consistentUsage, consistentUsage, flatPrice, (a, b, price) => {
        expect(costNanos(add(a, b), price)).toBeGreaterThanOrEqual(costNanos(a, price));
      }),
      { numRuns: 300 },
    );
  });
});
