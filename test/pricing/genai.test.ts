import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { costNanos } from '../../pricing/cost.ts';
import { createGenaiPricesFallback, genaiModelPrice } from '../../pricing/genai.ts';

const require = createRequire(import.meta.url);

function genaiIsLoaded(): boolean {
  const entry = require.resolve('@pydantic/genai-prices');
  return Object.keys(require.cache).includes(entry);
}

describe('genai-prices fallback', () => {
  // Runs first in this file (its own process under the forks pool): nothing has required the package yet.
  it('is loaded lazily, on the first lookup no other source answers', async () => {
    const book = await loadPriceBook();
    expect(book.lookup('openai', 'gpt-4o')?.source).toBe('catalog');
    expect(genaiIsLoaded()).toBe(false);
    expect(book.lookup('groq', 'llama-3.3-70b-versatile')?.source).toBe('genai-prices');
    expect(genaiIsLoaded()).toBe(true);
  });

  it('prices a model absent from the catalog (groq llama-3.3-70b-versatile)', async () => {
    const book = await loadPriceBook();
    const quote = book.lookup('groq', 'llama-3.3-70b-versatile');
    expect(quote).toEqual({
      source: 'genai-prices',
      id: 'groq/llama-3.3-70b-versatile',
      price: { input: 590_000_000, output: 790_000_000 },
    });
    // 1000 x $0.59 + 500 x $0.79 = $985 per 1M
    expect(costNanos({ ...ZERO_USAGE, inputTokens: 1000, outputTokens: 500 }, quote!.price)).toBe(985_000);
  });

  it('matches on the model alone for providers genai-prices does not know', () => {
    const fallback = createGenaiPricesFallback();
    // genai-prices then infers the provider from the model name itself.
    expect(fallback('my-gateway', ['gpt-4o-mini'])).toMatchObject({
      source: 'genai-prices',
      id: 'openai/gpt-4o-mini',
    });
    expect(fallback('groq', ['definitely-not-a-model-xyz'])).toBeNull();
  });

  it('maps tiered prices to tiers on input tokens', () => {
    expect(
      genaiModelPrice({
        input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
        output_mtok: { base: 15, tiers: [{ start: 200_000, price: 22.5 }] },
        cache_read_mtok: { base: 0.3, tiers: [{ start: 200_000, price: 0.6 }] },
        cache_write_mtok: 3.75,
        cache_write_1h_mtok: 6,
      }),
    ).toEqual({
      input: 3_000_000_000,
      output: 15_000_000_000,
      cachedInput: 300_000_000,
      cacheWrite: 3_750_000_000,
      cacheWrite1h: 6_000_000_000,
      tiers: [
        {
          aboveInputTokens: 200_000,
          input: 6_000_000_000,
          output: 22_500_000_000,
          cachedInput: 600_000_000,
          cacheWrite: 3_750_000_000,
          cacheWrite1h: 6_000_000_000,
        },
      ],
    });
    expect(genaiModelPrice({ output_mtok: 1 })).toBeNull();
  });

  it('stays silent when the package cannot be loaded', () => {
    const fallback = createGenaiPricesFallback(() => {
      throw new Error('missing');
    });
    expect(fallback('groq', ['llama-3.3-70b-versatile'])).toBeNull();
  });

  it('can be turned off', async () => {
    const book = await loadPriceBook({ fallback: false });
    expect(book.lookup('groq', 'llama-3.3-70b-versatile')).toBeNull();
  });
});
