// The deferred path end to end: the proxy's OpenAI and Anthropic batch clients against the
// simulator's Batch and Message Batches APIs, which run each line through its synchronous API.
import { afterEach, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../../contracts/usage.ts';
import { AnthropicBatches } from '../../../proxy/batch/anthropic-batches.ts';
import { OpenAIBatches } from '../../../proxy/batch/openai-batches.ts';
import { parseConfigText } from '../../../proxy/config/load.ts';
import { startProxy, type RunningProxy } from '../../../proxy/index.ts';
import { startSimulator, type RunningSimulator } from '../../../proxy/simulator/server.ts';
import { deferredJob } from './fake-batches.ts';

let simulator: RunningSimulator;
let proxy: RunningProxy;
let offset = 0;
const events: UsageEvent[] = [];

afterEach(async () => {
  await proxy?.close(100);
  await simulator?.close();
  events.length = 0;
});

async function start(errorRate = 0): Promise<void> {
  simulator = await startSimulator({ seed: 5, speed: 1000, errorRate, batchDelayMs: 0 });
  const config = parseConfigText(
    JSON.stringify({
      providers: {
        openai: { kind: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'sk-apex' },
        anthropic: { kind: 'anthropic', baseUrl: simulator.url, apiKey: 'sk-ant-apex' },
      },
      models: [
        { name: 'gpt-4o-mini', provider: 'openai' },
        { name: 'claude-haiku-4-5', provider: 'anthropic' },
      ],
      optimizers: { batch: { maxRequests: 2, maxWaitSeconds: 60, pollSeconds: 30 } },
      proof: { controlShare: 0 },
    }),
    'batch.json',
  );
  proxy = await startProxy({
    config,
    port: 0,
    sink: { record: (event) => events.push(event) },
    logger: { warn: () => {}, error: () => {} },
    clock: () => Date.now() + offset,
  });
}

async function defer(path: string, body: object, headers: Record<string, string>): Promise<string> {
  const response = await fetch(`${proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-apex-urgency': 'batch', ...headers },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(202);
  expect(response.headers.get('x-apex-deferred')).toBe('batch');
  return ((await response.json()) as { id: string }).id;
}

/** Advances the proxy's clock past each poll interval until every receipt has its answer. */
async function collect(ids: string[], headers: Record<string, string>): Promise<Response[]> {
  for (let round = 0; round < 200; round++) {
    offset += 31_000;
    await proxy.deferred.tick();
    const answers = await Promise.all(
      ids.map((id) => fetch(`${proxy.url}/v1/apex/deferred/${id}`, { headers })),
    );
    if (answers.every((answer) => answer.status !== 202)) return answers;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('deferred requests never answered');
}

function expectHalfPrice(event: UsageEvent): void {
  expect(event.status).toBe(200);
  expect(event.baselineCostNanos).toBeGreaterThan(0);
  expect(event.savings?.service_tier).toBe(Math.floor(event.baselineCostNanos! * 0.5));
  expect(event.costNanos).toBe(event.baselineCostNanos! - event.savings!.service_tier!);
}

describe('deferred requests through the providers’ batch APIs', () => {
  it('OpenAI: one Batch API batch, each answer collected and billed at half price', async () => {
    await start();
    const headers = { authorization: 'Bearer sk-client' };
    const body = (n: number) => ({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Report ${n}` }],
    });
    const ids = [await defer('/v1/chat/completions', body(1), headers)];
    ids.push(await defer('/v1/chat/completions', body(2), headers));
    const answers = await collect(ids, headers);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { object: string }).object).toBe('chat.completion');
    }
    expect(events.map((e) => e.id).sort()).toEqual([...ids].sort());
    events.forEach(expectHalfPrice);
  });

  it('Anthropic: one Message Batch, answers in the Messages format', async () => {
    await start();
    const headers = { 'x-api-key': 'sk-ant-client', 'anthropic-version': '2023-06-01' };
    const body = (n: number) => ({
      model: 'claude-haiku-4-5',
      max_tokens: 200,
      messages: [{ role: 'user', content: `Summary ${n}` }],
    });
    const ids = [
      await defer('/v1/messages', body(1), headers),
      await defer('/v1/messages', body(2), headers),
    ];
    const answers = await collect(ids, headers);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ type: 'message', role: 'assistant' });
    }
    events.forEach(expectHalfPrice);
  });

  it('keeps a provider error answer from a batch as the answer', async () => {
    await start(1);
    const headers = { authorization: 'Bearer sk-client' };
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Fails' }] };
    const ids = [
      await defer('/v1/chat/completions', body, headers),
      await defer('/v1/chat/completions', body, headers),
    ];
    const answers = await collect(ids, headers);
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(await answer.json()).toHaveProperty('error.message');
    }
    const anthropicHeaders = { 'x-api-key': 'sk-ant-client', 'anthropic-version': '2023-06-01' };
    const message = {
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Fails' }],
    };
    const errored = [
      await defer('/v1/messages', message, anthropicHeaders),
      await defer('/v1/messages', message, anthropicHeaders),
    ];
    for (const answer of await collect(errored, anthropicHeaders)) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(await answer.json()).toMatchObject({ type: 'error', error: { type: expect.any(String) } });
    }
  });
});

describe('batch API clients on their own', () => {
  it('report a batch the provider refuses as failed, with its reason and line', async () => {
    await start();
    const provider = proxy.runtime().config.providers['openai']!;
    const api = new OpenAIBatches(provider);
    const jobs = [deferredJob(0), deferredJob(0, { body: { model: 'gpt-4o-mini', messages: [] } })];
    const batchId = await api.submit(jobs);
    let results = null;
    for (let i = 0; i < 200 && !results; i++) {
      results = await api.collect(
        batchId,
        jobs.map((job) => job.id),
      );
      if (!results) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const first = results!.get(jobs[0]!.id)!;
    expect(first).toMatchObject({ kind: 'failed', status: 400 });
    expect(first.kind === 'failed' && first.message).toMatch(/line \d/);
  });

  it('treat rate limits and server errors inside a batch as worth another ride, not as the answer', async () => {
    await start(1);
    const api = new OpenAIBatches(proxy.runtime().config.providers['openai']!);
    const jobs = [
      deferredJob(0, { body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } }),
    ];
    const batchId = await api.submit(jobs);
    let results = null;
    for (let i = 0; i < 200 && !results; i++) {
      results = await api.collect(batchId, [jobs[0]!.id]);
      if (!results) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(results!.get(jobs[0]!.id)).toEqual({ kind: 'expired' });
  });

  it('surface a refused submission as a BatchApiError with the provider status', async () => {
    await start();
    const api = new AnthropicBatches(proxy.runtime().config.providers['anthropic']!);
    const streaming = deferredJob(0, { body: { model: 'claude-haiku-4-5', stream: true, messages: [] } });
    await expect(api.submit([streaming])).rejects.toMatchObject({ name: 'BatchApiError', status: 400 });
  });
});
