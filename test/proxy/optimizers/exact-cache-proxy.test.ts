import { afterEach, describe, expect, it } from 'vitest';
import { anthropicHandler } from '../../mocks/anthropic.ts';
import { openaiHandler } from '../../mocks/openai.ts';
import { openaiError } from '../../mocks/openai-wire.ts';
import { harnessConfig, startHarness, type Harness } from '../../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

/** No control group, so every caller is optimized and the assertions do not depend on hashing. */
function config(optimizers: object = {}) {
  return (openaiUrl: string, anthropicUrl: string) => ({
    ...harnessConfig(openaiUrl, anthropicUrl),
    optimizers,
    proof: { controlShare: 0 },
  });
}

async function post(path: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${harness.proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client-a', ...headers },
    body: JSON.stringify(body),
  });
}

const chat = { model: 'gpt-4o', temperature: 0, messages: [{ role: 'user', content: 'Capital of France?' }] };

describe('exact cache in the proxy', () => {
  it('answers an identical deterministic request from the cache and books the whole baseline as saved', async () => {
    harness = await startHarness({
      openai: openaiHandler({ content: 'Paris.', usage: { prompt: 2000, completion: 300 } }),
      config: config(),
    });
    const first = await post('/v1/chat/completions', chat);
    expect(first.headers.get('x-apex-cache')).toBe('miss');
    const firstBody = await first.text();
    const second = await post('/v1/chat/completions', {
      messages: chat.messages,
      temperature: 0,
      model: 'gpt-4o',
    });
    expect(second.headers.get('x-apex-cache')).toBe('hit');
    expect(second.headers.get('x-apex-optimizations')).toContain('exact_cache=hit');
    expect(await second.text()).toBe(firstBody);
    expect(harness.openaiUpstream.requests).toHaveLength(1);

    const [miss, hit] = await harness.waitForEvents(2);
    // gpt-4o: 2000 × $2.50/M + 300 × $10/M = 8,000 µ$.
    expect(miss).toMatchObject({ costNanos: 8_000_000, baselineCostNanos: 8_000_000, savings: {} });
    expect(hit).toMatchObject({
      costNanos: 0,
      baselineCostNanos: 8_000_000,
      savings: { exact_cache: 8_000_000 },
      inputTokens: 0,
      outputTokens: 0,
      priceSource: 'cache',
      arm: 'treatment',
      status: 200,
    });
    expect(JSON.parse(hit!.optimizations!)).toEqual([{ optimizer: 'exact_cache', outcome: 'hit' }]);
  });

  it('replays a cached stream as the same server-sent events', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({ content: 'one two three' }),
      config: config(),
    });
    const request = {
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      temperature: 0,
      stream: true,
      messages: [{ role: 'user', content: 'Count to three.' }],
    };
    const headers = { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-client' };
    const live = await (await post('/v1/messages', request, headers)).text();
    const replayed = await post('/v1/messages', request, headers);
    expect(replayed.headers.get('content-type')).toContain('text/event-stream');
    expect(replayed.headers.get('x-apex-cache')).toBe('hit');
    expect(await replayed.text()).toBe(live);
    expect(harness.anthropicUpstream.requests).toHaveLength(1);
    const [, hit] = await harness.waitForEvents(2);
    expect(hit).toMatchObject({ streamed: true, costNanos: 0, status: 200 });
    expect(hit!.savings?.exact_cache).toBe(hit!.baselineCostNanos);
    expect(hit!.baselineCostNanos).toBeGreaterThan(0);
  });

  it('never serves one tenant from another tenant’s entry', async () => {
    harness = await startHarness({ config: config() });
    await (await post('/v1/chat/completions', chat)).text();
    const other = await post('/v1/chat/completions', chat, { authorization: 'Bearer sk-client-b' });
    expect(other.headers.get('x-apex-cache')).toBe('miss');
    const otherProject = await post('/v1/chat/completions', chat, { 'x-apex-project': 'billing' });
    expect(otherProject.headers.get('x-apex-cache')).toBe('miss');
    expect(harness.openaiUpstream.requests).toHaveLength(3);
  });

  it('skips sampled requests unless configured, and keeps errors out of the cache', async () => {
    // Without retries, so that the failing upstream neither slows this down nor opens its breaker.
    const noRetries = (openaiUrl: string, anthropicUrl: string) => ({
      ...config()(openaiUrl, anthropicUrl),
      resilience: { maxRetries: 0 },
    });
    harness = await startHarness({
      openai: openaiHandler({ routes: { chat: () => openaiError(500, { message: 'boom' }) } }),
      config: noRetries,
    });
    const sampled = await post('/v1/chat/completions', { ...chat, temperature: 0.7 });
    expect(sampled.headers.get('x-apex-optimizations')).toContain('exact_cache=skipped');
    expect((await post('/v1/chat/completions', chat)).status).toBe(500);
    harness.openaiUpstream.setHandler(openaiHandler());
    const retried = await post('/v1/chat/completions', chat);
    expect(retried.headers.get('x-apex-cache')).toBe('miss');
    expect(retried.status).toBe(200);
  });

  it('is switched off per key by an override', async () => {
    harness = await startHarness({ config: config() });
    const keyId =
      (await (await post('/v1/chat/completions', chat)).text(), (await harness.waitForEvents(1))[0]!.keyId);
    await harness.proxy.reload(
      harnessConfigWith(harness, {
        overrides: [{ match: { keys: [keyId] }, set: { exactCache: { enabled: false } } }],
      }),
    );
    const again = await post('/v1/chat/completions', chat);
    expect(again.headers.get('x-apex-cache')).toBeNull();
    expect(harness.openaiUpstream.requests).toHaveLength(2);
  });
});

function harnessConfigWith(h: Harness, optimizers: object) {
  const base = h.proxy.runtime().config;
  return { ...base, optimizers: { ...base.optimizers, ...optimizers } } as typeof base;
}
