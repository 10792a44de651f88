import { describe, expect, it } from 'vitest';
import { createAnthropicStreamUsage, usageFromAnthropic } from '../../proxy/usage/anthropic.ts';

describe('usageFromAnthropic', () => {
  it('reads the Messages API example (no caching)', () => {
    expect(usageFromAnthropic({ input_tokens: 2095, output_tokens: 503 })).toEqual({
      inputTokens: 2095,
      outputTokens: 503,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('adds cache reads and writes back into inputTokens and splits writes by TTL (mixed-TTL docs example)', () => {
    const usage = usageFromAnthropic({
      input_tokens: 50,
      cache_read_input_tokens: 1800,
      cache_creation_input_tokens: 556,
      output_tokens: 300,
      cache_creation: { ephemeral_5m_input_tokens: 456, ephemeral_1h_input_tokens: 100 },
    });
    expect(usage).toEqual({
      inputTokens: 2406,
      outputTokens: 300,
      cachedInputTokens: 1800,
      cacheWriteTokens: 456,
      cacheWrite1hTokens: 100,
      reasoningTokens: 0,
    });
  });

  it('treats all writes as 5-minute writes without a cache_creation breakdown', () => {
    expect(
      usageFromAnthropic({
        input_tokens: 21,
        cache_creation_input_tokens: 188086,
        cache_read_input_tokens: 0,
        output_tokens: 393,
      }),
    ).toMatchObject({ inputTokens: 188107, cacheWriteTokens: 188086, cacheWrite1hTokens: 0 });
  });

  it('keeps writes the breakdown does not account for, at the 5-minute rate', () => {
    expect(
      usageFromAnthropic({
        input_tokens: 1,
        cache_creation_input_tokens: 600,
        output_tokens: 1,
        cache_creation: { ephemeral_5m_input_tokens: 400, ephemeral_1h_input_tokens: 100 },
      }),
    ).toMatchObject({ inputTokens: 601, cacheWriteTokens: 500, cacheWrite1hTokens: 100 });
  });

  it('reads the SDK response shape with null cache fields and thinking tokens', () => {
    expect(
      usageFromAnthropic({
        input_tokens: 12,
        output_tokens: 900,
        cache_creation: null,
        cache_creation_input_tokens: null,
        cache_read_input_tokens: null,
        output_tokens_details: { thinking_tokens: 700 },
        server_tool_use: null,
        service_tier: 'standard',
      }),
    ).toEqual({
      inputTokens: 12,
      outputTokens: 900,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 700,
    });
  });

  it('returns null for garbage instead of throwing', () => {
    for (const garbage of [
      undefined,
      null,
      7,
      'usage',
      [],
      {},
      { input_tokens: 'x' },
      { cache_read_input_tokens: 5 },
    ]) {
      expect(usageFromAnthropic(garbage)).toBeNull();
    }
  });
});

describe('createAnthropicStreamUsage', () => {
  it('follows the streaming docs example: message_start then cumulative message_delta', () => {
    const stream = createAnthropicStreamUsage();
    stream.onMessageStart({
      id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-opus-4-5-20251101',
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 25, output_tokens: 1 },
    });
    stream.onMessageDelta({ output_tokens: 10 });
    stream.onMessageDelta({ output_tokens: 15 });
    expect(stream.model()).toBe('claude-opus-4-5-20251101');
    expect(stream.result()).toEqual({
      inputTokens: 25,
      outputTokens: 15,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('keeps cache counts from message_start and lets newer deltas that repeat them override', () => {
    const stream = createAnthropicStreamUsage();
    stream.onMessageStart({
      type: 'message_start',
      message: {
        model: 'claude-sonnet-4-5-20250929',
        usage: {
          input_tokens: 50,
          cache_read_input_tokens: 1800,
          cache_creation_input_tokens: 556,
          cache_creation: { ephemeral_5m_input_tokens: 456, ephemeral_1h_input_tokens: 100 },
          output_tokens: 1,
        },
      },
    });
    stream.onMessageDelta({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn' },
      usage: { input_tokens: null, cache_read_input_tokens: 1800, output_tokens: 300 },
    });
    expect(stream.result()).toEqual({
      inputTokens: 2406,
      outputTokens: 300,
      cachedInputTokens: 1800,
      cacheWriteTokens: 456,
      cacheWrite1hTokens: 100,
      reasoningTokens: 0,
    });
    stream.onMessageDelta({ input_tokens: 60, output_tokens: 320 });
    expect(stream.result()).toMatchObject({ inputTokens: 2416, outputTokens: 320 });
  });

  it('reports nothing before any usage arrives and ignores garbage events', () => {
    const stream = createAnthropicStreamUsage();
    expect(stream.result()).toBeNull();
    expect(stream.model()).toBeNull();
    stream.onMessageStart('garbage');
    stream.onMessageStart({ model: 42, usage: 'x' });
    stream.onMessageDelta(null);
    expect(stream.result()).toBeNull();
    stream.onMessageDelta({ output_tokens: 12 });
    expect(stream.result()).toMatchObject({ inputTokens: 0, outputTokens: 12 });
  });
});
