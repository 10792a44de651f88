import { afterEach, describe, expect, it } from 'vitest';
import { openaiHandler } from '../mocks/openai.ts';
import { startHarness, UPSTREAM_OPENAI_KEY, type Harness } from '../support/apex-harness.ts';
import { jsonPayloads, readSseEvents } from '../support/sse-parse.ts';

let harness: Harness;
afterEach(async () => harness?.close());

const messages = [{ role: 'user' as const, content: 'Hello?' }];

describe('OpenAI chat completions through the proxy', () => {
  it('prices a non-streamed request exactly, cached tokens at the cached rate', async () => {
    harness = await startHarness({
      openai: openaiHandler({ usage: { prompt: 2000, cached: 1500, completion: 300 } }),
    });
    const completion = await harness.openai.chat.completions.create({ model: 'gpt-4o', messages });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(1500);
    const [event] = await harness.waitForEvents(1);
    // gpt-4o: $2.50/M input, $1.25/M cached input, $10.00/M output:
    // 500 × 2.50 + 1500 × 1.25 + 300 × 10.00 = 6,125 µ$ = 6,125,000 nano-dollars.
    expect(event).toMatchObject({
      api: 'openai',
      endpoint: 'chat',
      provider: 'openai',
      modelRequested: 'gpt-4o',
      modelServed: 'gpt-4o',
      streamed: false,
      inputTokens: 2000,
      cachedInputTokens: 1500,
      outputTokens: 300,
      costNanos: 6_125_000,
      priceSource: 'catalog',
      status: 200,
      errorClass: null,
    });
    expect(event!.latencyUs).toBeGreaterThan(0);
    expect(event!.ttftUs).toBeNull();
  });

  it('bills reasoning tokens as output (o3)', async () => {
    harness = await startHarness({
      openai: openaiHandler({ usage: { prompt: 1000, completion: 500, reasoning: 200 } }),
    });
    await harness.openai.chat.completions.create({ model: 'o3', messages });
    const [event] = await harness.waitForEvents(1);
    // o3: $2.00/M input, $8.00/M output: 1000 × 2 + 500 × 8 = 6,000 µ$.
    expect(event).toMatchObject({ outputTokens: 500, reasoningTokens: 200, costNanos: 6_000_000 });
  });

  it('asks a stream for usage and hides that chunk from a client that did not ask', async () => {
    harness = await startHarness({
      openai: openaiHandler({ content: 'one two three', usage: { prompt: 12, completion: 3 } }),
    });
    const response = await fetch(`${harness.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages, stream: true }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSseEvents(response);
    const chunks = jsonPayloads(events);
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(chunks.some((chunk) => Array.isArray(chunk.choices) && chunk.choices.length === 0)).toBe(false);
    expect(
      chunks
        .map((c) => (c.choices as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? '')
        .join(''),
    ).toBe('one two three');
    const upstreamBody = harness.openaiUpstream.requests[0]!.json as {
      stream_options?: { include_usage?: boolean };
    };
    expect(upstreamBody.stream_options?.include_usage).toBe(true);
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ streamed: true, inputTokens: 12, outputTokens: 3, errorClass: null });
    expect(event!.ttftUs).toBeGreaterThan(0);
    expect(event!.ttftUs!).toBeLessThanOrEqual(event!.latencyUs);
  });

  it('keeps the usage chunk for a client that asked for it (SDK stream helper)', async () => {
    harness = await startHarness({
      openai: openaiHandler({ content: 'streamed reply', usage: { prompt: 40, completion: 2, cached: 0 } }),
    });
    const stream = harness.openai.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages,
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('streamed reply');
    expect(final.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 2 });
    const [event] = await harness.waitForEvents(1);
    // gpt-4o-mini: $0.15/M input, $0.60/M output: 40 × 0.15 + 2 × 0.60 = 7.2 µ$.
    expect(event).toMatchObject({ inputTokens: 40, outputTokens: 2, costNanos: 7_200 });
  });

  it('sends the configured provider key upstream, never the caller’s', async () => {
    harness = await startHarness();
    await harness.openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
    const seen = harness.openaiUpstream.requests[0]!.headers;
    expect(seen.authorization).toBe(`Bearer ${UPSTREAM_OPENAI_KEY}`);
    const [event] = await harness.waitForEvents(1);
    expect(event!.keyId).toMatch(/^key_[\w-]{16}$/);
    expect(JSON.stringify(event)).not.toContain('sk-client-key');
  });

  it('passes the caller’s key through and renames the model for a self-hosted deployment', async () => {
    harness = await startHarness();
    await harness.openai.chat.completions.create({ model: 'local-llama', messages });
    const request = harness.openaiUpstream.requests[0]!;
    expect(request.headers.authorization).toBe('Bearer sk-client-key');
    expect((request.json as { model: string }).model).toBe('llama3.1:8b');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ provider: 'local', costNanos: 0, priceSource: 'self-hosted' });
  });

  it('forwards the body byte for byte when nothing needs rewriting', async () => {
    harness = await startHarness();
    const body = '{"model":"gpt-4o-mini",  "messages":[{"role":"user","content":"hi"}], "seed": 7}';
    await fetch(`${harness.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(harness.openaiUpstream.requests[0]!.body).toBe(body);
  });

  it('relays rate-limit and request-id headers and adds its own request id', async () => {
    harness = await startHarness();
    const { response } = await harness.openai.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBeTruthy();
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const [event] = await harness.waitForEvents(1);
    expect(response.headers.get('x-apex-request-id')).toBe(event!.id);
  });

  it('records the project header', async () => {
    harness = await startHarness();
    await harness.openai.chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      { headers: { 'x-apex-project': 'support-bot' } },
    );
    const [event] = await harness.waitForEvents(1);
    expect(event!.project).toBe('support-bot');
    expect(harness.openaiUpstream.requests[0]!.headers['x-apex-project']).toBeUndefined();
  });
});
