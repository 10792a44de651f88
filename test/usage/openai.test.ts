import { describe, expect, it } from 'vitest';
import { usageFromOpenAI, usageFromOpenAIResponses } from '../../proxy/usage/openai.ts';

describe('usageFromOpenAI (chat, completions, embeddings)', () => {
  it('reads the prompt-caching guide example: prompt_tokens already includes cached_tokens', () => {
    const usage = usageFromOpenAI({
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
    expect(usage).toEqual({
      inputTokens: 2006,
      outputTokens: 300,
      cachedInputTokens: 1920,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('keeps reasoning_tokens inside completion_tokens (o-series chat completion)', () => {
    const usage = usageFromOpenAI({
      prompt_tokens: 9,
      completion_tokens: 1198,
      total_tokens: 1207,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 1152, audio_tokens: 0 },
    });
    expect(usage).toMatchObject({ inputTokens: 9, outputTokens: 1198, reasoningTokens: 1152 });
  });

  it('reads an embeddings usage object (no completion tokens)', () => {
    expect(usageFromOpenAI({ prompt_tokens: 8, total_tokens: 8 })).toEqual({
      inputTokens: 8,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('reads a legacy completions usage object', () => {
    expect(usageFromOpenAI({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 })).toMatchObject({
      inputTokens: 5,
      outputTokens: 7,
    });
  });

  it('reads cache_write_tokens (OpenRouter-style) as default-TTL writes inside the prompt', () => {
    const usage = usageFromOpenAI({
      prompt_tokens: 3000,
      completion_tokens: 10,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 1500 },
    });
    expect(usage).toMatchObject({ inputTokens: 3000, cachedInputTokens: 1000, cacheWriteTokens: 1500 });
  });

  it("reads DeepSeek's prompt_cache_hit_tokens", () => {
    const usage = usageFromOpenAI({
      prompt_tokens: 100,
      completion_tokens: 20,
      prompt_cache_hit_tokens: 64,
      prompt_cache_miss_tokens: 36,
    });
    expect(usage).toMatchObject({ inputTokens: 100, cachedInputTokens: 64 });
  });

  it('derives completion tokens from total_tokens when a server omits them', () => {
    expect(usageFromOpenAI({ prompt_tokens: 10, total_tokens: 25 })).toMatchObject({ outputTokens: 15 });
  });

  it('tolerates null details and clamps inconsistent parts into their totals', () => {
    expect(
      usageFromOpenAI({
        prompt_tokens: 10,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 50 },
        completion_tokens_details: null,
      }),
    ).toMatchObject({ inputTokens: 10, cachedInputTokens: 10, reasoningTokens: 0 });
    expect(
      usageFromOpenAI({
        prompt_tokens: 10,
        completion_tokens: 5,
        completion_tokens_details: { reasoning_tokens: 9 },
      }),
    ).toMatchObject({ outputTokens: 5, reasoningTokens: 5 });
  });

  it('returns null for garbage instead of throwing', () => {
    for (const garbage of [
      undefined,
      null,
      42,
      'usage',
      [],
      {},
      { prompt_tokens: -1 },
      { prompt_tokens: '12' },
    ]) {
      expect(usageFromOpenAI(garbage)).toBeNull();
    }
    expect(usageFromOpenAI({ prompt_tokens: 1.5, completion_tokens: 2 })).toMatchObject({ inputTokens: 0 });
  });
});

describe('usageFromOpenAIResponses', () => {
  it('reads the reasoning guide example (input_tokens, output_tokens_details.reasoning_tokens)', () => {
    const usage = usageFromOpenAIResponses({
      input_tokens: 75,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 1186,
      output_tokens_details: { reasoning_tokens: 1024 },
      total_tokens: 1261,
    });
    expect(usage).toEqual({
      inputTokens: 75,
      outputTokens: 1186,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 1024,
    });
  });

  it('reads cached input tokens', () => {
    expect(
      usageFromOpenAIResponses({
        input_tokens: 2006,
        input_tokens_details: { cached_tokens: 1920 },
        output_tokens: 300,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 2306,
      }),
    ).toMatchObject({ inputTokens: 2006, cachedInputTokens: 1920, outputTokens: 300 });
  });

  it('returns null for garbage and for chat-shaped usage', () => {
    for (const garbage of [null, 'x', [], {}, { input_tokens: null, output_tokens: null }]) {
      expect(usageFromOpenAIResponses(garbage)).toBeNull();
    }
    expect(usageFromOpenAIResponses({ prompt_tokens: 5, completion_tokens: 1 })).toBeNull();
  });

  it('tolerates missing details objects', () => {
    expect(usageFromOpenAIResponses({ input_tokens: 3, output_tokens: 4 })).toMatchObject({
      inputTokens: 3,
      outputTokens: 4,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
  });
});
