import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../../contracts/usage.ts';
import { DeferredCoordinator } from '../../../proxy/batch/coordinator.ts';
import { DeferredStore } from '../../../proxy/batch/deferred-store.ts';
import type { DeferredJob } from '../../../proxy/batch/job.ts';
import { deferredJob, FakeBatches } from './fake-batches.ts';
import { BatchApiError } from '../../../proxy/batch/provider-http.ts';
import { parseConfigText } from '../../../proxy/config/load.ts';
import { buildRuntime, type ProxyRuntime } from '../../../proxy/runtime.ts';
import { UpstreamAgents } from '../../../proxy/upstream/agents.ts';
import { openaiHandler } from '../../mocks/openai.ts';
import { startMockUpstream, type MockUpstream } from '../../support/mock-upstream.ts';

let upstream: MockUpstream;
let dir: string;
let now: number;
let fake: FakeBatches;
let events: UsageEvent[];
let runtime: ProxyRuntime;
const open: Array<{ close(): unknown }> = [];

beforeEach(async () => {
  upstream = await startMockUpstream(openaiHandler());
  dir = mkdtempSync(join(tmpdir(), 'apex-deferred-'));
  now = 1_700_000_000_000;
  fake = new FakeBatches();
  events = [];
  const config = parseConfigText(
    JSON.stringify({
      providers: { openai: { kind: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-upstream' } },
      models: [{ name: 'gpt-4o', provider: 'openai', price: { input: '2.5', output: '10' } }],
      optimizers: { batch: { maxWaitSeconds: 60, maxRequests: 3, pollSeconds: 30, maxAttempts: 2 } },
    }),
    'test.json',
  );
  runtime = await buildRuntime(config, new UpstreamAgents());
});

afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

function coordinator(store = openStore()): { coordinator: DeferredCoordinator; store: DeferredStore } {
  const created = new DeferredCoordinator({
    store,
    runtime: () => runtime,
    sink: { record: (event) => events.push(event) },
    logger: { warn: () => {}, error: () => {} },
    clock: () => now,
    batchApiFor: () => fake,
  });
  open.push(created);
  return { coordinator: created, store };
}

function openStore(): DeferredStore {
  const store = new DeferredStore(join(dir, 'deferred.db'));
  open.push(store);
  return store;
}

function job(overrides: Partial<DeferredJob> = {}): DeferredJob {
  return deferredJob(now, overrides);
}

describe('deferred requests: gathering batches', () => {
  it('waits until a batch is full or its oldest request has waited maxWaitSeconds', async () => {
    const { coordinator: c, store } = coordinator();
    c.enqueue(job());
    c.enqueue(job());
    await c.tick();
    expect(fake.submitted).toHaveLength(0);
    now += 60_000;
    await c.tick();
    expect(fake.submitted.map((batch) => batch.length)).toEqual([2]);
    expect(store.counts()).toMatchObject({ queued: 0, submitted: 2 });
  });

  it('sends a full batch at once and splits a backlog into batches of maxRequests', async () => {
    const { coordinator: c } = coordinator();
    for (let i = 0; i < 7; i++) c.enqueue(job());
    await c.tick();
    expect(fake.submitted.map((batch) => batch.length)).toEqual([3, 3]);
    now += 60_000;
    await c.tick();
    expect(fake.submitted.map((batch) => batch.length)).toEqual([3, 3, 1]);
  });

  it('keeps different models in different batches, as the Batch API requires', async () => {
    const { coordinator: c } = coordinator();
    c.enqueue(job());
    c.enqueue(job({ body: { model: 'gpt-4o-mini', messages: [] } }));
    now += 60_000;
    await c.tick();
    expect(fake.submitted.map((batch) => batch.map((j) => j.body.model))).toEqual([
      ['gpt-4o'],
      ['gpt-4o-mini'],
    ]);
  });
});

describe('deferred requests: answers and accounting', () => {
  it('records each answer at the batch price, with the discount as the service-tier saving', async () => {
    const { coordinator: c, store } = coordinator();
    const first = job();
    c.enqueue(first);
    now += 60_000;
    await c.tick();
    now += 30_000;
    await c.tick();
    expect(events).toHaveLength(1);
    const event = events[0]!;
    // 1M input tokens at $2.50 + 100k output at $10 = $3.50 standard; the batch API halves it.
    expect(event.baselineCostNanos).toBe(3_500_000_000);
    expect(event.costNanos).toBe(1_750_000_000);
    expect(event.savings).toEqual({ service_tier: 1_750_000_000 });
    expect(event).toMatchObject({
      id: first.id,
      ts: now,
      status: 200,
      arm: 'treatment',
      route: 'nightly-summaries',
    });
    expect(JSON.parse(event.optimizations!)).toContainEqual({
      optimizer: 'service_tier',
      outcome: 'applied',
      detail: 'batch API',
    });
    expect(event.latencyUs).toBeGreaterThanOrEqual(90_000_000);
    const record = store.get(first.id)!;
    expect(record.state).toBe('done');
    expect(JSON.parse(record.resultBody!.toString()).choices[0].message.content).toBe('Yes.');
  });

  it('does not poll a running batch before pollSeconds, and waits while it runs', async () => {
    const { coordinator: c } = coordinator();
    c.enqueue(job());
    now += 60_000;
    fake.ended = false;
    await c.tick();
    now += 30_000;
    await c.tick();
    expect(events).toHaveLength(0);
    fake.ended = true;
    now += 10_000;
    await c.tick();
    expect(events).toHaveLength(0);
    now += 20_000;
    await c.tick();
    expect(events).toHaveLength(1);
  });

  it('keeps a provider error answer as the answer, in the provider format', async () => {
    const { coordinator: c, store } = coordinator();
    const failing = job();
    const error = { error: { message: 'bad', type: 'invalid_request_error', param: null, code: null } };
    fake.outcome = () => ({ kind: 'answered', status: 400, body: Buffer.from(JSON.stringify(error)) });
    c.enqueue(failing);
    now += 60_000;
    await c.tick();
    now += 30_000;
    await c.tick();
    expect(store.get(failing.id)).toMatchObject({ state: 'done', resultStatus: 400 });
    expect(events[0]).toMatchObject({ status: 400, costNanos: 0, errorClass: 'invalid_request_error' });
  });
});

describe('deferred requests: failures', () => {
  it('retries expired requests in a later batch, then sends them to the standard API', async () => {
    const { coordinator: c, store } = coordinator();
    const late = job();
    fake.outcome = () => ({ kind: 'expired' });
    c.enqueue(late);
    for (let round = 0; round < 3; round++) {
      now += 60_000;
      await c.tick();
    }
    expect(fake.submitted).toHaveLength(2);
    expect(store.get(late.id)).toMatchObject({ state: 'done', resultStatus: 200, attempts: 2 });
    expect(upstream.requests.map((r) => r.path)).toEqual(['/v1/chat/completions']);
    expect(events[0]!.savings).toEqual({});
    expect(events[0]!.costNanos).toBe(events[0]!.baselineCostNanos);
  });

  it('sends a refused batch straight to the standard API', async () => {
    const { coordinator: c, store } = coordinator();
    fake.submitError = new BatchApiError(400, 'model does not support batch');
    const refused = job();
    c.enqueue(refused);
    now += 60_000;
    await c.tick();
    expect(store.get(refused.id)?.state).toBe('done');
    expect(upstream.requests).toHaveLength(1);
    expect(JSON.parse(upstream.requests[0]!.body)).toEqual(refused.body);
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer sk-upstream');
  });

  it('keeps requests queued when submission fails for a transient reason, and retries later', async () => {
    const { coordinator: c, store } = coordinator();
    fake.submitError = new BatchApiError(503, 'overloaded');
    c.enqueue(job());
    now += 60_000;
    await c.tick();
    expect(store.counts().queued).toBe(1);
    fake.submitError = null;
    now += 10_000;
    await c.tick();
    expect(fake.submitted).toHaveLength(0);
    now += 30_000;
    await c.tick();
    expect(fake.submitted).toHaveLength(1);
  });

  it('fails a request whose item failed, keeping the reason for the client', async () => {
    const { coordinator: c, store } = coordinator();
    fake.outcome = () => ({ kind: 'failed', status: 400, message: 'the batch failed validation: bad line' });
    const broken = job();
    c.enqueue(broken);
    now += 90_000;
    await c.tick();
    now += 30_000;
    await c.tick();
    const record = store.get(broken.id)!;
    expect(record.state).toBe('failed');
    expect(JSON.parse(record.resultBody!.toString()).message).toContain('bad line');
  });

  it('sends direct-mode requests (control group, no batch API) on the next round', async () => {
    const { coordinator: c, store } = coordinator();
    const control = job({ mode: 'direct', arm: 'control' });
    c.enqueue(control);
    await c.tick();
    expect(fake.submitted).toHaveLength(0);
    expect(store.get(control.id)?.state).toBe('done');
    expect(events[0]).toMatchObject({ arm: 'control', savings: {} });
  });
});

describe('deferred requests: durability', () => {
  it('resumes queued and submitted work after a restart, from the same file', async () => {
    const first = coordinator();
    const waiting = job();
    const sent = job();
    first.coordinator.enqueue(sent);
    now += 60_000;
    await first.coordinator.tick();
    first.coordinator.enqueue(waiting);
    await first.coordinator.close();
    first.store.close();

    const second = coordinator(openStore());
    now += 60_000;
    await second.coordinator.tick();
    expect(second.store.get(sent.id)?.state).toBe('done');
    expect(second.store.get(waiting.id)?.state).toBe('submitted');
  });

  it('forgets answers after keepResultsHours', async () => {
    const { coordinator: c, store } = coordinator();
    const old = job({ mode: 'direct' });
    c.enqueue(old);
    await c.tick();
    now += 73 * 3_600_000;
    await c.tick();
    expect(store.get(old.id)).toBeNull();
  });
});
