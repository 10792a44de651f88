// The circuit breaker through a real proxy: it opens on consecutive failures, skips the broken
// deployment (to the fallback, or with a 503), lets a probe through after the cooldown and closes.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  failureOf,
  hello,
  metricValue,
  startFaultHarness,
  type FaultHarness,
} from '../support/fault-harness.ts';

let h: FaultHarness;
afterEach(async () => h?.close());

const COOLDOWN_MS = 1_000;
// One retry: the two attempts of a request trip the breaker, and no backoff outlasts the cooldown.
const breaker = { maxRetries: 1, breaker: { consecutiveFailures: 2, cooldownMs: COOLDOWN_MS } };
// Two retries and a long cooldown: the breaker, not maxRetries, stops the third attempt.
const longBreaker = { maxRetries: 2, breaker: { consecutiveFailures: 2, cooldownMs: 60_000 } };
const models = [
  { name: 'gpt-main', provider: 'openai', model: 'gpt-4o-mini', fallbacks: ['claude-backup'] },
  { name: 'claude-backup', provider: 'anthropic', model: 'claude-haiku-4-5' },
];
const OPENAI_STATE = 'deployment="openai/gpt-4o-mini"';
const chat = (model: string) => ({ model, messages: hello });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('circuit breaker', () => {
  it('opens after consecutive failures and sends requests straight to the fallback', async () => {
    h = await startFaultHarness({ models, resilience: longBreaker });
    h.openaiUp.setDefault({ kind: 'error', status: 500 });
    const first = await h.openai.chat.completions.create(chat('gpt-main')).withResponse();
    // Two failures opened the breaker, so the third attempt went to the fallback instead.
    expect(first.response.headers.get('x-apex-served-by')).toBe('anthropic/claude-haiku-4-5');
    expect(h.openaiUp.count()).toBe(2);
    expect(await metricValue(h, 'apex_circuit_state', OPENAI_STATE)).toBe(2);
    for (let i = 0; i < 5; i++) {
      const { response } = await h.openai.chat.completions.create(chat('gpt-main')).withResponse();
      expect(response.status).toBe(200);
    }
    expect(h.openaiUp.count()).toBe(2);
    expect(h.anthropicUp.count()).toBe(6);
    const events = await h.waitForEvents(6);
    for (const event of events) expect(event).toMatchObject({ status: 200, provider: 'anthropic' });
  });

  it('answers 503 upstream_unavailable with retry-after when nothing else can serve', async () => {
    h = await startFaultHarness({ resilience: breaker });
    h.openaiUp.setDefault({ kind: 'error', status: 500 });
    const tripped = await failureOf(h.openai.chat.completions.create(chat('gpt-4o-mini')));
    expect((tripped as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    const error = await failureOf(h.openai.chat.completions.create(chat('gpt-4o-mini')));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const unavailable = error as InstanceType<typeof OpenAI.APIError>;
    expect(unavailable.status).toBe(503);
    expect(unavailable.code).toBe('upstream_unavailable');
    expect(Number(unavailable.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(h.openaiUp.count()).toBe(2);
    const [, event] = await h.waitForEvents(2);
    expect(event).toMatchObject({ status: 503, errorClass: 'upstream_unavailable', provider: 'openai' });
  });

  it('lets a probe through after the cooldown and closes again on its success', async () => {
    h = await startFaultHarness({ resilience: breaker });
    h.openaiUp.setDefault({ kind: 'error', status: 500 });
    await failureOf(h.openai.chat.completions.create(chat('gpt-4o-mini')));
    expect(await metricValue(h, 'apex_circuit_state', OPENAI_STATE)).toBe(2);
    h.openaiUp.setDefault({ kind: 'ok' });
    await pause(COOLDOWN_MS + 50);
    expect(await metricValue(h, 'apex_circuit_state', OPENAI_STATE)).toBe(1);
    const { response } = await h.openai.chat.completions.create(chat('gpt-4o-mini')).withResponse();
    expect(response.status).toBe(200);
    expect(h.openaiUp.count()).toBe(3);
    expect(await metricValue(h, 'apex_circuit_state', OPENAI_STATE)).toBe(0);
    const failed = 'deployment="openai/gpt-4o-mini",outcome="500"';
    expect(await metricValue(h, 'apex_upstream_attempts_total', failed)).toBe(2);
    const [, event] = await h.waitForEvents(2);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'openai' });
  });

  it('re-opens when the probe fails, and keeps the deployment skipped', async () => {
    h = await startFaultHarness({ models, resilience: breaker });
    h.openaiUp.setDefault({ kind: 'error', status: 503 });
    await h.openai.chat.completions.create(chat('gpt-main'));
    expect(h.openaiUp.count()).toBe(2);
    await pause(COOLDOWN_MS + 50);
    const { response } = await h.openai.chat.completions.create(chat('gpt-main')).withResponse();
    expect(response.headers.get('x-apex-served-by')).toBe('anthropic/claude-haiku-4-5');
    // One probe, which failed: open again, for twice the cooldown.
    expect(h.openaiUp.count()).toBe(3);
    expect(await metricValue(h, 'apex_circuit_state', OPENAI_STATE)).toBe(2);
    await h.openai.chat.completions.create(chat('gpt-main'));
    expect(h.openaiUp.count()).toBe(3);
  });
});
