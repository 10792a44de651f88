// Faults answered with a status: 429s and their retry-after, 5xx, and a 400 that must not be retried.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { failureOf, hello, startFaultHarness, type FaultHarness } from '../support/fault-harness.ts';

let h: FaultHarness;
afterEach(async () => h?.close());

/** gpt-main (OpenAI) falls back to claude-backup (Anthropic), and claude-main the other way. */
const crossFallbacks = [
  { name: 'gpt-main', provider: 'openai', model: 'gpt-4o-mini', fallbacks: ['claude-backup'] },
  { name: 'claude-backup', provider: 'anthropic', model: 'claude-haiku-4-5' },
  { name: 'claude-main', provider: 'anthropic', model: 'claude-sonnet-4-6', fallbacks: ['gpt-backup'] },
  { name: 'gpt-backup', provider: 'openai', model: 'gpt-4.1-mini' },
];

const chat = (model: string) => ({ model, messages: hello });
const messages = (model: string) => ({ model, max_tokens: 20, messages: hello });

describe('429 rate limits', () => {
  it('waits out retry-after: 1 and retries, so the client gets a 200', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const started = Date.now();
    const { data, response } = await h.openai.chat.completions.create(chat('gpt-4o-mini')).withResponse();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(data.choices[0]!.message.content).toContain('Hello');
    expect(response.headers.get('x-apex-attempts')).toBe('2');
    expect(response.headers.get('x-apex-served-by')).toBe('openai/gpt-4o-mini');
    expect(h.openaiUp.count()).toBe(2);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'openai', inputTokens: 12 });
  });

  it('honours Anthropic’s retry-after-ms', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'rate-limit', retryAfterMs: 50 });
    const { data, response } = await h.anthropic.messages.create(messages('claude-haiku-4-5')).withResponse();
    expect(data.usage.output_tokens).toBe(9);
    expect(response.headers.get('x-apex-attempts')).toBe('2');
    expect(h.anthropicUp.count()).toBe(2);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'anthropic' });
  });

  it('relays a retry-after beyond maxRetryAfterMs as a 429 in the OpenAI format', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'rate-limit', retryAfterSeconds: 60 });
    const started = Date.now();
    const error = await failureOf(h.openai.chat.completions.create(chat('gpt-4o-mini')));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimited = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimited.headers?.get('retry-after')).toBe('60');
    expect(rateLimited.code).toBe('rate_limit_exceeded');
    expect(h.openaiUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 429, errorClass: 'rate_limit_exceeded', provider: 'openai' });
  });

  it('relays it in the Anthropic format to an Anthropic client', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'rate-limit', retryAfterSeconds: 45 });
    const error = await failureOf(h.anthropic.messages.create(messages('claude-haiku-4-5')));
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimited = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimited.headers?.get('retry-after')).toBe('45');
    expect(rateLimited.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(h.anthropicUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 429, errorClass: 'rate_limit_error', provider: 'anthropic' });
  });

  it('goes to the fallback at once rather than waiting a long retry-after', async () => {
    h = await startFaultHarness({ models: crossFallbacks });
    h.openaiUp.script({ kind: 'rate-limit', retryAfterSeconds: 60 });
    const started = Date.now();
    const { data, response } = await h.openai.chat.completions.create(chat('gpt-main')).withResponse();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(data.object).toBe('chat.completion');
    expect(response.headers.get('x-apex-served-by')).toBe('anthropic/claude-haiku-4-5');
    expect(h.openaiUp.count()).toBe(1);
    expect(h.anthropicUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'anthropic' });
  });
});

describe('5xx answers', () => {
  it('retries a 500 and relays the 200 that follows', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'error', status: 500 });
    const { response } = await h.openai.chat.completions.create(chat('gpt-4o-mini')).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-apex-attempts')).toBe('2');
    expect(h.openaiUp.count()).toBe(2);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'openai' });
  });

  it('gives up after maxRetries and relays the provider’s own 500 body', async () => {
    h = await startFaultHarness();
    h.openaiUp.setDefault({ kind: 'error', status: 500 });
    const error = await failureOf(h.openai.chat.completions.create(chat('gpt-4o-mini')));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as Error).message).toContain('The server had an error while processing your request');
    expect(h.openaiUp.count()).toBe(3);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 500, errorClass: 'server_error', provider: 'openai' });
  });

  it('relays Anthropic’s 529 overloaded_error once its retries are spent', async () => {
    h = await startFaultHarness();
    h.anthropicUp.setDefault({ kind: 'error', status: 529 });
    const error = await failureOf(h.anthropic.messages.create(messages('claude-haiku-4-5')));
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(h.anthropicUp.count()).toBe(3);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 529, errorClass: 'overloaded_error', provider: 'anthropic' });
  });

  it('serves an OpenAI client from its Anthropic fallback, translated, once the primary keeps failing', async () => {
    h = await startFaultHarness({ models: crossFallbacks });
    h.openaiUp.setDefault({ kind: 'error', status: 503 });
    const { data, response } = await h.openai.chat.completions.create(chat('gpt-main')).withResponse();
    expect(data.choices[0]!.message.content).toBe('Hello from the mock Anthropic API.');
    expect(data.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 9 });
    expect(response.headers.get('x-apex-served-by')).toBe('anthropic/claude-haiku-4-5');
    expect(response.headers.get('x-apex-attempts')).toBe('4');
    expect(h.openaiUp.count()).toBe(3);
    expect(h.anthropicUp.count()).toBe(1);
    expect(h.anthropicUp.requests[0]!.json).toMatchObject({ model: 'claude-haiku-4-5' });
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'anthropic', inputTokens: 21 });
  });

  it('serves an Anthropic client from its OpenAI fallback', async () => {
    h = await startFaultHarness({ models: crossFallbacks, resilience: { maxRetries: 0 } });
    h.anthropicUp.setDefault({ kind: 'error', status: 529 });
    const { data, response } = await h.anthropic.messages.create(messages('claude-main')).withResponse();
    expect(data.type).toBe('message');
    expect(response.headers.get('x-apex-served-by')).toBe('openai/gpt-4.1-mini');
    expect(h.anthropicUp.count()).toBe(1);
    expect(h.openaiUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: null, provider: 'openai' });
  });
});

describe('4xx answers', () => {
  it('never retries a 400', async () => {
    h = await startFaultHarness({ models: crossFallbacks });
    h.openaiUp.script({ kind: 'error', status: 400 });
    const error = await failureOf(h.openai.chat.completions.create(chat('gpt-main')));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain("Invalid value for 'messages'");
    expect(h.openaiUp.count()).toBe(1);
    expect(h.anthropicUp.count()).toBe(0);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 400, errorClass: 'invalid_request_error', provider: 'openai' });
  });
});
