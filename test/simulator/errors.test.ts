import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORCE_FAILURE_HEADER, startSimulator, type RunningSimulator } from '../../proxy/simulator/server.ts';
import { anthropicClient, openaiClient, TEST_SPEED } from './helpers.ts';

let failing: RunningSimulator;

beforeAll(async () => {
  failing = await startSimulator({ seed: 3, speed: TEST_SPEED, errorRate: 1 });
});

afterAll(() => failing.close());

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hello' }] };
const message = {
  model: 'claude-haiku-4-5',
  max_tokens: 50,
  messages: [{ role: 'user' as const, content: 'hello' }],
};

async function openaiFailure(kind?: string): Promise<InstanceType<typeof OpenAI.APIError>> {
  const client = openaiClient(failing, kind ? { [FORCE_FAILURE_HEADER]: kind } : {});
  return client.chat.completions.create(chat).then(
    () => expect.fail('expected an error'),
    (error: InstanceType<typeof OpenAI.APIError>) => error,
  );
}

async function anthropicFailure(kind?: string): Promise<InstanceType<typeof Anthropic.APIError>> {
  const client = anthropicClient(failing, kind ? { [FORCE_FAILURE_HEADER]: kind } : {});
  return client.messages.create(message).then(
    () => expect.fail('expected an error'),
    (error: InstanceType<typeof Anthropic.APIError>) => error,
  );
}

describe('injected failures surface as the SDKs typed errors', () => {
  it('fails every request at errorRate 1, with an OpenAI status', async () => {
    for (let i = 0; i < 5; i++) {
      const error = await openaiFailure();
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect([429, 500, 503]).toContain(error.status);
    }
  });

  it('injects no random failure when the caller asks for none, even at errorRate 1', async () => {
    const completion = await openaiClient(failing, {
      [FORCE_FAILURE_HEADER]: 'none',
    }).chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBeTruthy();
    const reply = await anthropicClient(failing, { [FORCE_FAILURE_HEADER]: 'none' }).messages.create(message);
    expect(reply.content.length).toBeGreaterThan(0);
  });

  it('rate limits OpenAI callers with retry-after and x-ratelimit headers', async () => {
    const error = await openaiFailure('rate_limit');
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limit_exceeded');
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(error.headers?.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(error.headers?.get('x-ratelimit-limit-requests')).toMatch(/^\d+$/);
    expect(error.headers?.get('x-ratelimit-reset-tokens')).toMatch(/^\d+(\.\d+)?(ms|s)$|^\d+m\d+s$/);
    expect(error.requestID).toMatch(/^req_/);
  });

  it('answers OpenAI server errors and overload as InternalServerError', async () => {
    const server = await openaiFailure('server_error');
    expect(server).toBeInstanceOf(OpenAI.InternalServerError);
    expect(server.status).toBe(500);
    expect(server.type).toBe('server_error');
    const overloaded = await openaiFailure('overloaded');
    expect(overloaded).toBeInstanceOf(OpenAI.InternalServerError);
    expect(overloaded.status).toBe(503);
  });

  it('fails every Anthropic request at errorRate 1, in Anthropic error format', async () => {
    for (let i = 0; i < 5; i++) {
      const error = await anthropicFailure();
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect([429, 500, 529]).toContain(error.status);
      expect(error.error).toMatchObject({
        type: 'error',
        error: { type: expect.any(String), message: expect.any(String) },
      });
    }
  });

  it('rate limits Anthropic callers with retry-after and anthropic-ratelimit headers', async () => {
    const error = await anthropicFailure('rate_limit');
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.error).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(error.headers?.get('anthropic-ratelimit-input-tokens-remaining')).toBe('0');
    expect(error.headers?.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(error.requestID).toMatch(/^req_011C/);
  });

  it('answers Anthropic overload with 529 overloaded_error and server errors with 500 api_error', async () => {
    const overloaded = await anthropicFailure('overloaded');
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect(overloaded.status).toBe(529);
    expect(overloaded.error).toMatchObject({ error: { type: 'overloaded_error' } });
    const server = await anthropicFailure('server_error');
    expect(server).toBeInstanceOf(Anthropic.InternalServerError);
    expect(server.status).toBe(500);
    expect(server.error).toMatchObject({ error: { type: 'api_error' } });
  });
});

describe('request errors in each API format', () => {
  it('answers unknown paths and bad JSON like the provider would', async () => {
    const path = await fetch(`${failing.url}/v1/nope`, { method: 'POST', body: '{}' });
    expect(path.status).toBe(404);
    expect(await path.json()).toMatchObject({
      error: { type: 'invalid_request_error', param: null, code: null },
    });
    const json = await fetch(`${failing.url}/v1/messages`, {
      method: 'POST',
      headers: { 'anthropic-version': '2023-06-01' },
      body: '{not json',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('rejects an OpenAI chat request without messages', async () => {
    const error: unknown = await openaiClient(failing)
      .chat.completions.create({ model: 'gpt-4o', messages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });
});
