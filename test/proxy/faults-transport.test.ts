// Faults below HTTP: silence, refused and reset connections, and a client that walks away.
import Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deadPort,
  failureOf,
  hello,
  metricValue,
  startFaultHarness,
  type FaultHarness,
} from '../support/fault-harness.ts';

let h: FaultHarness;
afterEach(async () => h?.close());

const chat = (model: string) => ({ model, messages: hello });

type ApiError = InstanceType<typeof OpenAI.APIError>;

describe('an upstream that does not answer', () => {
  it('gives up on a hung attempt after attemptTimeoutMs and retries', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'hang' });
    const started = Date.now();
    const { response } = await h.openai.chat.completions.create(chat('gpt-4o-mini')).withResponse();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.headers.get('x-apex-attempts')).toBe('2');
    expect(h.openaiUp.count()).toBe(2);
    // The abandoned attempt's connection is closed, not left hanging.
    await h.openaiUp.waitForClientClosures(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'openai' });
  });

  it('answers a 504 in the OpenAI format after about timeoutMs when the upstream never answers', async () => {
    h = await startFaultHarness({ resilience: { attemptTimeoutMs: undefined, timeoutMs: 1_000 } });
    h.openaiUp.setDefault({ kind: 'hang' });
    const started = Date.now();
    const error = await failureOf(h.openai.chat.completions.create(chat('gpt-4o-mini')));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2_000);
    expect((error as ApiError).status).toBe(504);
    expect((error as ApiError).code).toBe('upstream_timeout');
    expect(h.openaiUp.count()).toBe(1);
    await h.openaiUp.waitForClientClosures(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 504, errorClass: 'upstream_timeout', provider: 'openai' });
  });

  it('answers the 504 in the Anthropic format, every attempt timed out within timeoutMs', async () => {
    h = await startFaultHarness({ resilience: { timeoutMs: 1_200 } });
    h.anthropicUp.setDefault({ kind: 'hang' });
    const started = Date.now();
    const error = await failureOf(
      h.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: hello }),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(504);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'api_error' },
    });
    expect(h.anthropicUp.count()).toBeGreaterThanOrEqual(2);
    expect(h.anthropicUp.count()).toBeLessThanOrEqual(3);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 504, errorClass: 'upstream_timeout', provider: 'anthropic' });
  });

  it('lets a client shorten the wait with x-apex-timeout-ms', async () => {
    h = await startFaultHarness({ resilience: { attemptTimeoutMs: undefined, timeoutMs: 10_000 } });
    h.openaiUp.setDefault({ kind: 'hang' });
    const started = Date.now();
    const error = await failureOf(
      h.openai.chat.completions.create(chat('gpt-4o-mini'), { headers: { 'x-apex-timeout-ms': '250' } }),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(1_000);
    expect((error as ApiError).status).toBe(504);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 504, errorClass: 'upstream_timeout' });
  });

  it('answers a slow upstream that stays within the attempt timeout without retrying', async () => {
    h = await startFaultHarness({ resilience: { attemptTimeoutMs: 1_000 } });
    h.openaiUp.script({ kind: 'slow', delayMs: 200 });
    const started = Date.now();
    const { response } = await h.openai.chat.completions.create(chat('gpt-4o-mini')).withResponse();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(response.headers.get('x-apex-attempts')).toBeNull();
    expect(h.openaiUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null });
  });

  it('ends a stream that stalls after its headers with an in-band error after idleTimeoutMs', async () => {
    h = await startFaultHarness({ providerSettings: { idleTimeoutMs: 300 } });
    h.openaiUp.script({ kind: 'stall', afterEvents: 2 });
    const stream = await h.openai.chat.completions.create({ ...chat('gpt-4o-mini'), stream: true });
    const seen: string[] = [];
    const error = await failureOf(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(seen.length).toBe(2);
    expect((error as Error).message).toContain('upstream stream interrupted');
    expect(h.openaiUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: 'upstream_stream_interrupted' });
  });
});

describe('connections refused and reset', () => {
  const deadRoutes = [
    { name: 'gpt-dead', provider: 'dead', model: 'gpt-4o-mini' },
    { name: 'gpt-dead-backed', provider: 'dead', model: 'gpt-4o', fallbacks: ['claude-backup'] },
    { name: 'claude-backup', provider: 'anthropic', model: 'claude-haiku-4-5' },
  ];
  const withDead = (port: number) => () => ({
    dead: { kind: 'openai', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-dead' },
  });

  it('retries a refused connection, then answers 502 upstream_unreachable in the client’s format', async () => {
    h = await startFaultHarness({ models: deadRoutes, providers: withDead(await deadPort()) });
    const error = await failureOf(h.openai.chat.completions.create(chat('gpt-dead')));
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).code).toBe('upstream_unreachable');
    const refused = 'deployment="dead/gpt-4o-mini",outcome="ECONNREFUSED"';
    expect(await metricValue(h, 'apex_upstream_attempts_total', refused)).toBe(3);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 502, errorClass: 'upstream_unreachable', provider: 'dead' });
  });

  it('tells an Anthropic client the same in its own format', async () => {
    h = await startFaultHarness({ models: deadRoutes, providers: withDead(await deadPort()) });
    const error = await failureOf(
      h.anthropic.messages.create({ model: 'gpt-dead', max_tokens: 20, messages: hello }),
    );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(502);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'api_error' },
    });
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 502, errorClass: 'upstream_unreachable' });
  });

  it('serves a refused request from its fallback', async () => {
    h = await startFaultHarness({ models: deadRoutes, providers: withDead(await deadPort()) });
    const { response } = await h.openai.chat.completions.create(chat('gpt-dead-backed')).withResponse();
    expect(response.headers.get('x-apex-served-by')).toBe('anthropic/claude-haiku-4-5');
    expect(response.headers.get('x-apex-attempts')).toBe('4');
    expect(h.anthropicUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'anthropic' });
  });

  it('retries a connection reset before the headers', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'reset' });
    const { data, response } = await h.anthropic.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: hello })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(response.headers.get('x-apex-attempts')).toBe('2');
    expect(h.anthropicUp.count()).toBe(2);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'anthropic' });
  });
});

describe('a client that goes away', () => {
  it('closes the upstream connection and records a 499 while waiting for headers', async () => {
    h = await startFaultHarness();
    h.openaiUp.setDefault({ kind: 'hang' });
    const abort = new AbortController();
    const pending = h.post('/v1/chat/completions', chat('gpt-4o-mini'), {}, abort.signal);
    while (h.openaiUp.count() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    abort.abort();
    await failureOf(pending);
    await h.openaiUp.waitForClientClosures(1);
    expect(h.openaiUp.requests[0]!.closedEarly).toBe(true);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 499, errorClass: 'client_closed_request', provider: 'openai' });
    expect(h.openaiUp.count()).toBe(1);
  });

  it('closes the upstream connection when the client leaves mid-stream', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'stall', afterEvents: 3 });
    const abort = new AbortController();
    const body = { model: 'claude-haiku-4-5', max_tokens: 20, messages: hello, stream: true };
    const response = await h.post('/v1/messages', body, { 'anthropic-version': '2023-06-01' }, abort.signal);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('message_start');
    abort.abort();
    await h.anthropicUp.waitForClientClosures(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 499, errorClass: 'client_closed_request', provider: 'anthropic' });
    expect(h.anthropicUp.count()).toBe(1);
  });
});
