import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { costNanos } from '../../pricing/cost.ts';
import { liteLLMPrice } from '../../pricing/litellm.ts';

// Entries in the shape of LiteLLM's model_prices_and_context_window.json (USD per token, floats).
const FIXTURE = `{
  "sample_spec": {
    "input_cost_per_token": 0.0, "output_cost_per_token": 0.0,
    "litellm_provider": "one of https://docs.litellm.ai/docs/providers", "mode": "chat"
  },
  "gpt-4o": {
    "cache_read_input_token_cost": 1.25e-06, "input_cost_per_token": 2.5e-06,
    "litellm_provider": "openai", "max_input_tokens": 128000, "mode": "chat", "output_cost_per_token": 1e-05
  },
  "groq/llama-3.3-70b-versatile": {
    "input_cost_per_token": 5.9e-07, "litellm_provider": "groq", "max_input_tokens": 128000,
    "mode": "chat", "output_cost_per_token": 7.9e-07
  },
  "deepseek/deepseek-chat": {
    "cache_read_input_token_cost": 7e-08, "input_cost_per_token": 2.7e-07,
    "litellm_provider": "deepseek", "mode": "chat", "output_cost_per_token": 1.1e-06
  },
  "claude-sonnet-4-5-20250929": {
    "cache_creation_input_token_cost": 3.75e-06, "cache_creation_input_token_cost_above_1hr": 6e-06,
    "cache_read_input_token_cost": 3e-07, "input_cost_per_token": 3e-06,
    "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
    "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
    "cache_read_input_token_cost_above_200k_tokens": 6e-07,
    "litellm_provider": "anthropic", "mode": "chat", "output_cost_per_token": 1.5e-05
  },
  "text-embedding-3-small": {
    "input_cost_per_token": 2e-08, "litellm_provider": "openai", "mode": "embedding"
  },
  "1024-x-1024/dall-e-2": {
    "input_cost_per_pixel": 1.9e-08, "litellm_provider": "openai", "mode": "image_generation",
    "output_cost_per_pixel": 0.0
  },
  "broken-model": { "input_cost_per_token": -1, "output_cost_per_token": 1e-06, "litellm_provider": "openai" }
}`;

let dir: string;
let litellmFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apex-litellm-'));
  litellmFile = join(dir, 'model_prices_and_context_window.json');
  await writeFile(litellmFile, FIXTURE);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LiteLLM price file', () => {
  it('prices models the catalog lacks, by provider and prefixed key', async () => {
    const book = await loadPriceBook({ litellmFile, fallback: false });
    expect(book.lookup('groq', 'llama-3.3-70b-versatile')).toEqual({
      source: 'litellm',
      id: 'groq/llama-3.3-70b-versatile',
      price: { input: 590_000_000, output: 790_000_000 },
    });
    expect(book.lookup('deepseek', 'deepseek-chat')).toMatchObject({
      price: { input: 270_000_000, output: 1_100_000_000, cachedInput: 70_000_000 },
    });
    expect(book.lookup('some-gateway', 'groq/llama-3.3-70b-versatile')?.source).toBe('litellm');
  });

  it('ranks below the catalog', async () => {
    const book = await loadPriceBook({ litellmFile, fallback: false });
    expect(book.lookup('openai', 'gpt-4o')?.source).toBe('catalog');
    const withoutCatalog = await loadPriceBook({ litellmFile, catalogFile: null, fallback: false });
    expect(withoutCatalog.lookup('openai', 'gpt-4o-2024-08-06')).toMatchObject({
      source: 'litellm',
      id: 'gpt-4o',
      price: { input: 2_500_000_000, output: 10_000_000_000, cachedInput: 1_250_000_000 },
    });
  });

  it('maps 1-hour cache writes and above-200k tiers, keeping base cache ratios where a tier omits them', async () => {
    const book = await loadPriceBook({ litellmFile, catalogFile: null, fallback: false });
    const quote = book.lookup('anthropic', 'claude-sonnet-4-5-20250929');
    expect(quote?.price).toEqual({
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
          cacheWrite: 7_500_000_000,
          cacheWrite1h: 12_000_000_000,
        },
      ],
    });
    const longPrompt = { ...ZERO_USAGE, inputTokens: 210_000, cachedInputTokens: 60_000, outputTokens: 2000 };
    expect(costNanos(longPrompt, quote!.price)).toBe(981_000_000);
  });

  it('skips entries that are not token-priced or carry bad numbers', async () => {
    const book = await loadPriceBook({ litellmFile, catalogFile: null, fallback: false });
    expect(book.lookup('openai', 'text-embedding-3-small')?.price).toEqual({ input: 20_000_000, output: 0 });
    expect(book.lookup('openai', '1024-x-1024/dall-e-2')).toBeNull();
    expect(book.lookup('openai', 'broken-model')).toBeNull();
    expect(book.lookup('one of https://docs.litellm.ai/docs/providers', 'sample_spec')).toBeNull();
    expect(liteLLMPrice({ input_cost_per_token: 1e-6, mode: 'chat' })).toBeNull();
  });

  it('fails loudly on a file that is not LiteLLM JSON', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '[1, 2, 3]');
    await expect(loadPriceBook({ litellmFile: bad })).rejects.toThrow(/LiteLLM/);
  });
});
