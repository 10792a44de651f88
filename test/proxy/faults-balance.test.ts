// Routes sharing a model name as one balanced group, and the retry budget that caps retries.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { failureOf, hello, startFaultHarness, type FaultHarness } from '../support/fault-harness.ts';
import type { FaultUpstream } from '../support/fault-upstream.ts';

let h: FaultHarness;
afterEach(async () => h?.close());

/** gpt-pool is served by provider "openai" (weight 3) and provider "openai2" (weight 1). */
const pool = {
  extraUpstreams: 1,
  providers: ([second]: FaultUpstream[]) => ({
    openai2: { kind: 'openai', baseUrl: `${second!.url}/v1`, apiKey: 'sk-upstream-openai-2' },
  }),
  models: [
    { name: 'gpt-pool', provider: 'openai', model: 'gpt-4o-mini', weight: 3 },
    { name: 'gpt-pool', provider: 'openai2', model: 'gpt-4o-mini', weight: 1 },
  ],
};

async function send(h: FaultHarness, total: number, concurrency: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let sent = 0; sent < total; sent += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, total - sent) }, () =>
      h.post('/v1/chat/completions', { model: 'gpt-pool', messages: hello }).then(async (response) => {
        await response.arrayBuffer();
        return response.status;
      }),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

describe('balanced routes', () => {
  it('splits traffic 3:1 by weight', async () => {
    h = await startFaultHarness(pool);
    const statuses = await send(h, 200, 10);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const [second] = h.extra;
    expect(h.openaiUp.count() + second!.count()).toBe(200);
    expect(h.openaiUp.count()).toBeGreaterThanOrEqual(135);
    expect(h.openaiUp.count()).toBeLessThanOrEqual(165);
    expect(second!.count()).toBeGreaterThanOrEqual(35);
    expect(second!.count()).toBeLessThanOrEqual(65);
    const events = await h.waitForEvents(200);
    const byProvider = (name: string) => events.filter((event) => event.provider === name).length;
    expect(byProvider('openai')).toBe(h.openaiUp.count());
    expect(byProvider('openai2')).toBe(second!.count());
  });

  it('fails over to the other member within the same request when one member fails', async () => {
    h = await startFaultHarness(pool);
    const [second] = h.extra;
    second!.setDefault({ kind: 'error', status: 500 });
    const statuses = await send(h, 40, 4);
    expect(statuses).toEqual(Array(40).fill(200));
    expect(second!.count()).toBeGreaterThan(0);
    expect(h.openaiUp.count()).toBe(40);
    const events = await h.waitForEvents(40);
    for (const event of events)
      expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'openai' });
  });

  it('tells the client which member served a request that switched', async () => {
    h = await startFaultHarness(pool);
    const [second] = h.extra;
    h.openaiUp.script({ kind: 'reset' });
    second!.setDefault({ kind: 'ok' });
    // The first pick under 3:1 smooth weighting is the heavy member, which resets.
    const { response } = await h.openai.chat.completions
      .create({ model: 'gpt-pool', messages: hello })
      .withResponse();
    expect(response.headers.get('x-apex-attempts')).toBe('2');
    expect(response.headers.get('x-apex-served-by')).toBe('openai2/gpt-4o-mini');
    expect(h.openaiUp.count()).toBe(1);
    expect(second!.count()).toBe(1);
  });
});

describe('retry budget', () => {
  it('retries nothing with a budget of zero', async () => {
    h = await startFaultHarness({ resilience: { retryBudget: { ratio: 0, minPerSecond: 0 } } });
    h.openaiUp.script({ kind: 'error', status: 500 }, { kind: 'rate-limit', retryAfterMs: 10 });
    const failed = await failureOf(
      h.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }),
    );
    expect((failed as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect(h.openaiUp.count()).toBe(1);
    const limited = await failureOf(
      h.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }),
    );
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(h.openaiUp.count()).toBe(2);
    const events = await h.waitForEvents(2);
    expect(events.map((event) => event.status)).toEqual([500, 429]);
  });

  it('still retries with the default budget', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'rate-limit', retryAfterMs: 10 });
    const answer = await h.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    expect(answer.object).toBe('chat.completion');
    expect(h.openaiUp.count()).toBe(2);
  });
});
