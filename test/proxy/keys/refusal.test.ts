import Anthropic from '@anthropic-ai/sdk';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiFlavor } from '../../../contracts/usage.ts';
import { refusalBody, refusalHeaders, sendRefusal, type Refusal } from '../../../proxy/keys/refusal.ts';

const budget: Refusal = {
  ok: false,
  status: 429,
  code: 'budget_exceeded',
  message: 'Daily budget of $5.00 for this key is exhausted',
  retryable: false,
  limit: 'daily_budget',
};
const tokens: Refusal = {
  ok: false,
  status: 429,
  code: 'rate_limit_exceeded',
  message: 'Rate limit of 1,000 tokens per minute reached',
  retryAfterSeconds: 7,
  retryable: true,
  limit: 'tpm',
};
const requests: Refusal = { ...tokens, limit: 'rpm' };
const revoked: Refusal = {
  ok: false,
  status: 401,
  code: 'key_revoked',
  message: 'revoked',
  retryable: false,
};
const model: Refusal = { ok: false, status: 403, code: 'model_not_allowed', message: 'no', retryable: false };

function parsed(api: ApiFlavor, refusal: Refusal): unknown {
  return JSON.parse(refusalBody(api, refusal, 'req_1'));
}

describe('refusalBody', () => {
  it('renders OpenAI errors with the types OpenAI itself sends', () => {
    expect(parsed('openai', budget)).toEqual({
      error: { message: budget.message, type: 'insufficient_quota', param: null, code: 'budget_exceeded' },
    });
    expect(parsed('openai', tokens)).toMatchObject({
      error: { type: 'tokens', code: 'rate_limit_exceeded' },
    });
    expect(parsed('openai', requests)).toMatchObject({ error: { type: 'requests' } });
    expect(parsed('openai', revoked)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'key_revoked' },
    });
    expect(parsed('openai', model)).toMatchObject({
      error: { type: 'permission_error', code: 'model_not_allowed' },
    });
  });

  it('renders Anthropic errors by status', () => {
    expect(parsed('anthropic', budget)).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: budget.message },
      request_id: 'req_1',
    });
    expect(parsed('anthropic', tokens)).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect(parsed('anthropic', revoked)).toMatchObject({ error: { type: 'authentication_error' } });
    expect(parsed('anthropic', model)).toMatchObject({ error: { type: 'permission_error' } });
  });
});

describe('refusalHeaders', () => {
  it('tells SDKs when to retry and when not to', () => {
    expect(refusalHeaders(budget)).toEqual({ 'x-should-retry': 'false' });
    expect(refusalHeaders(tokens)).toEqual({ 'retry-after': '7' });
    expect(refusalHeaders(revoked)).toEqual({ 'x-should-retry': 'false' });
  });
});

describe('sendRefusal', () => {
  let server: Server | null = null;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function refusingServer(
    api: ApiFlavor,
    refusal: Refusal,
  ): Promise<{ url: string; hits: () => number }> {
    let hits = 0;
    server = createServer((req, res) => {
      hits += 1;
      req.resume();
      req.on('end', () => sendRefusal(res, api, refusal, 'req_9'));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, hits: () => hits };
  }

  it('stops the OpenAI SDK from retrying a budget refusal', async () => {
    const upstream = await refusingServer('openai', budget);
    const client = new OpenAI({ baseURL: `${upstream.url}/v1`, apiKey: 'sk-apex-x', maxRetries: 2 });
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'budget_exceeded', type: 'insufficient_quota' });
    expect(upstream.hits()).toBe(1);
  });

  it('stops the Anthropic SDK from retrying a budget refusal', async () => {
    const upstream = await refusingServer('anthropic', budget);
    const client = new Anthropic({ baseURL: upstream.url, apiKey: 'sk-apex-x', maxRetries: 2 });
    const error = await client.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error).toMatchObject({ status: 429, requestID: null });
    expect((error as { error: unknown }).error).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect(upstream.hits()).toBe(1);
  });

  it('drops the connection when the response has already started', () => {
    let destroyed = false;
    const res = { headersSent: true, destroy: () => (destroyed = true) } as unknown as ServerResponse;
    sendRefusal(res, 'openai', budget, 'req_1');
    expect(destroyed).toBe(true);
  });
});
