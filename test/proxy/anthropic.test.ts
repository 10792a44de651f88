import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicError, anthropicHandler } from '../mocks/anthropic.ts';
import { startHarness, UPSTREAM_ANTHROPIC_KEY, type Harness } from '../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

const request = { max_tokens: 512, messages: [{ role: 'user' as const, content: 'Summarize this.' }] };
const cachedUsage = { input: 100, cacheRead: 2000, cacheWrite5m: 1000, cacheWrite1h: 500, output: 400 };

// claude-sonnet-4-5: $3/M input, $3.75/M 5-minute writes, $6/M 1-hour writes, $0.30/M reads, $15/M output:
// 100 × 3 + 1000 × 3.75 + 500 × 6 + 2000 × 0.30 + 400 × 15 = 13,650 µ$.
const CACHED_COST_NANOS = 13_650_000;

describe('Anthropic messages through the proxy', () => {
  it('adds cache reads and writes back into input and prices each at its own rate', async () => {
    harness = await startHarness({ anthropic: anthropicHandler({ usage: cachedUsage }) });
    const message = await harness.anthropic.messages.create({ model: 'claude-sonnet-4-5', ...request });
    expect(message.usage.cache_read_input_tokens).toBe(2000);
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({
      api: 'anthropic',
      endpoint: 'messages',
      provider: 'anthropic',
      inputTokens: 3600,
      cachedInputTokens: 2000,
      cacheWriteTokens: 1000,
      cacheWrite1hTokens: 500,
      outputTokens: 400,
      costNanos: CACHED_COST_NANOS,
      status: 200,
      errorClass: null,
    });
  });

  it('reads usage from message_start and message_delta of a stream', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({ usage: cachedUsage, content: 'a streamed summary' }),
    });
    const final = await harness.anthropic.messages
      .stream({ model: 'claude-sonnet-4-5', ...request })
      .finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'a streamed summary' });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ streamed: true, outputTokens: 400, costNanos: CACHED_COST_NANOS });
    expect(event!.ttftUs).toBeGreaterThan(0);
  });

  it('uses x-api-key with the configured key and a default anthropic-version', async () => {
    harness = await startHarness();
    await fetch(`${harness.proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'client-key' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', ...request }),
    });
    const seen = harness.anthropicUpstream.requests[0]!.headers;
    expect(seen['x-api-key']).toBe(UPSTREAM_ANTHROPIC_KEY);
    expect(seen['anthropic-version']).toBe('2023-06-01');
  });

  it('keeps the query string (beta endpoints are addressed with ?beta=true)', async () => {
    harness = await startHarness();
    await fetch(`${harness.proxy.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-beta': 'context-1m-2025-08-07' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', ...request }),
    });
    const seen = harness.anthropicUpstream.requests[0]!;
    expect(seen.url).toBe('/v1/messages?beta=true');
    expect(seen.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
  });

  it('returns an upstream 429 in Anthropic’s format with retry-after, and records its class', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({
        routes: { messages: () => anthropicError(429, 'rate_limit_error', 'slow down') },
      }),
    });
    const failure = await harness.anthropic.messages
      .create({ model: 'claude-sonnet-4-5', ...request })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect(failure.status).toBe(429);
    expect(failure.headers.get('retry-after')).toBe('1');
    expect(failure.error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
    });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 429, errorClass: 'rate_limit_error', costNanos: 0 });
  });

  it('lists Anthropic models in Anthropic’s format when asked with anthropic-version', async () => {
    harness = await startHarness({
      extraModels: [
        { name: 'claude-haiku-4-5', provider: 'anthropic' },
        { name: 'gpt-4o', provider: 'openai' },
      ],
    });
    const anthropicList = await fetch(`${harness.proxy.url}/v1/models`, {
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(await anthropicList.json()).toMatchObject({
      data: [{ type: 'model', id: 'claude-haiku-4-5', display_name: 'claude-haiku-4-5' }],
      has_more: false,
      first_id: 'claude-haiku-4-5',
      last_id: 'claude-haiku-4-5',
    });
    const openaiList = await harness.openai.models.list();
    const ids = openaiList.data.map((m) => m.id);
    expect(ids).toContain('gpt-4o');
    expect(ids.some((id) => id.startsWith('claude'))).toBe(false);
    expect(openaiList.data[0]).toMatchObject({ object: 'model', owned_by: 'openai' });
  });
});
