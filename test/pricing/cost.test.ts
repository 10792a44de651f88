import { beforeAll, describe, expect, it } from 'vitest';
import type { TokenUsage } from '../../contracts/usage.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { costNanos } from '../../pricing/cost.ts';
import type { ModelPrice, PriceBook } from '../../pricing/types.ts';
import { usageFromAnthropic } from '../../proxy/usage/anthropic.ts';
import { usageFromOpenAI, usageFromOpenAIResponses } from '../../proxy/usage/openai.ts';

// Worked by hand: cost = sum(tokens x USD per 1M) / 1M, in nano-dollars (x 1e9).
let book: PriceBook;

beforeAll(async () => {
  book = await loadPriceBook({ fallback: false });
});

function priceOf(provider: string, model: string): ModelPrice {
  const quote = book.lookup(provider, model);
  if (!quote) throw new Error(`no price for ${provider}/${model}`);
  return quote.price;
}

function usage(partial: Partial<TokenUsage>): TokenUsage {
  return { ...ZERO_USAGE, ...partial };
}

describe('costNanos with catalog prices', () => {
  it('OpenAI gpt-4o with cached tokens', () => {
    const parsed = usageFromOpenAI({
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920 },
    });
    // 86 x $2.50 + 1920 x $1.25 + 300 x $10 = $5615 per 1M -> $0.005615
    expect(costNanos(parsed!, priceOf('openai', 'gpt-4o-2024-08-06'))).toBe(5_615_000);
  });

  it('prices the gpt-4o-2024-05-13 snapshot at its own older rate, caching not discounted', () => {
    const parsed = usageFromOpenAI({
      prompt_tokens: 2006,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 1920 },
    });
    // 2006 x $5 + 300 x $15 = $14530 per 1M
    expect(costNanos(parsed!, priceOf('openai', 'gpt-4o-2024-05-13'))).toBe(14_530_000);
  });

  it('o3 and gpt-5 bill reasoning tokens as output (Responses API usage)', () => {
    const parsed = usageFromOpenAIResponses({
      input_tokens: 75,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 1186,
      output_tokens_details: { reasoning_tokens: 1024 },
      total_tokens: 1261,
    })!;
    // o3: 75 x $2 + 1186 x $8 = $9638 per 1M
    expect(costNanos(parsed, priceOf('openai', 'o3-2025-04-16'))).toBe(9_638_000);
    // gpt-5: 75 x $1.25 + 1186 x $10 = $11953.75 per 1M
    expect(costNanos(parsed, priceOf('openai', 'gpt-5'))).toBe(11_953_750);
  });

  it('Anthropic sonnet-4-5 with cache reads, 5-minute and 1-hour writes', () => {
    const parsed = usageFromAnthropic({
      input_tokens: 50,
      cache_read_input_tokens: 1800,
      cache_creation_input_tokens: 556,
      cache_creation: { ephemeral_5m_input_tokens: 456, ephemeral_1h_input_tokens: 100 },
      output_tokens: 300,
    })!;
    // 50 x $3 + 1800 x $0.30 + 456 x $3.75 + 100 x $6 + 300 x $15 = $7500 per 1M
    expect(costNanos(parsed, priceOf('anthropic', 'claude-sonnet-4-5-20250929'))).toBe(7_500_000);
  });

  it('Anthropic opus-4-5 with 5-minute and 1-hour writes', () => {
    const parsed = usageFromAnthropic({
      input_tokens: 1000,
      cache_read_input_tokens: 20_000,
      cache_creation_input_tokens: 3000,
      cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 1000 },
      output_tokens: 500,
    })!;
    // 1000 x $5 + 20000 x $0.50 + 2000 x $6.25 + 1000 x $10 + 500 x $25 = $50000 per 1M -> $0.05
    expect(costNanos(parsed, priceOf('anthropic', 'claude-opus-4-5'))).toBe(50_000_000);
  });

  it('sonnet-4-5 above 200k prompt tokens bills every token at the long-context tier', () => {
    const parsed = usageFromAnthropic({
      input_tokens: 150_000,
      cache_read_input_tokens: 60_000,
      output_tokens: 2000,
    })!;
    expect(parsed.inputTokens).toBe(210_000);
    // 150000 x $6 + 60000 x $0.60 + 2000 x $22.50 = $981000 per 1M -> $0.981
    expect(costNanos(parsed, priceOf('anthropic', 'claude-sonnet-4-5'))).toBe(981_000_000);
  });

  it('exactly 200k prompt tokens stays on the base rates', () => {
    const parsed = usage({ inputTokens: 200_000, outputTokens: 2000 });
    // 200000 x $3 + 2000 x $15 = $630000 per 1M
    expect(costNanos(parsed, priceOf('anthropic', 'claude-sonnet-4-5'))).toBe(630_000_000);
    // 200001 x $6 + 2000 x $22.50 = $1245006 per 1M
    expect(costNanos({ ...parsed, inputTokens: 200_001 }, priceOf('anthropic', 'claude-sonnet-4'))).toBe(
      1_245_006_000,
    );
  });

  it('embeddings bill prompt tokens only', () => {
    const parsed = usageFromOpenAI({ prompt_tokens: 5, total_tokens: 5 })!;
    expect(costNanos(parsed, priceOf('openai', 'text-embedding-3-small'))).toBe(100);
    expect(costNanos(parsed, priceOf('openai', 'text-embedding-3-large'))).toBe(650);
    expect(costNanos(usage({ inputTokens: 1_000_000 }), priceOf('openai', 'text-embedding-ada-002'))).toBe(
      100_000_000,
    );
  });
});

describe('costNanos arithmetic', () => {
  const price: ModelPrice = { input: 37_500_000, output: 1_000 };

  it('rounds half-up exactly once over the whole request', () => {
    expect(costNanos(usage({ inputTokens: 1 }), price)).toBe(38); // 37.5 -> 38
    expect(costNanos(usage({ inputTokens: 1, outputTokens: 499 }), price)).toBe(38); // 37.999
    expect(costNanos(usage({ outputTokens: 499 }), price)).toBe(0); // 0.499
    expect(costNanos(usage({ outputTokens: 500 }), price)).toBe(1); // 0.5
  });

  it('stays exact where the intermediate products pass 2^53', () => {
    const expensive: ModelPrice = { input: 75_000_000_000, output: 75_000_000_000 };
    const big = usage({ inputTokens: 100_000_000_003, outputTokens: 7 });
    // 100000000010 tokens x 75000 nanos each; the products (7.5e21) exceed 2^53, the result does not.
    expect(costNanos(big, expensive)).toBe(7_500_000_000_750_000);
  });

  it('defaults cache prices to the input price and clamps inconsistent usage at zero uncached', () => {
    const plain: ModelPrice = { input: 1_000_000_000, output: 0 };
    expect(
      costNanos(
        usage({ inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 3, cacheWrite1hTokens: 3 }),
        plain,
      ),
    ).toBe(10_000);
    expect(
      costNanos(usage({ inputTokens: 1, cachedInputTokens: 5 }), {
        input: 1_000_000_000,
        output: 0,
        cachedInput: 0,
      }),
    ).toBe(0);
  });

  it('treats bad counts as zero and fractional ones as whole tokens instead of throwing', () => {
    const bad = usage({
      inputTokens: Number.NaN,
      outputTokens: -5,
      cacheWriteTokens: Number.POSITIVE_INFINITY,
    });
    expect(costNanos(bad, { input: 1_000_000, output: 1_000_000 })).toBe(0);
    expect(costNanos(usage({ inputTokens: 2.7 }), { input: 1_000_000, output: 0 })).toBe(2);
  });
});
