import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { messageStreamEvents } from '../mocks/anthropic.ts';
import { chatCompletionChunks, openaiError, openaiHandler } from '../mocks/openai.ts';
import { harnessConfig, startHarness, type Harness } from '../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

const messages = [{ role: 'user' as const, content: 'hi' }];

/** Either API's error body: OpenAI's {error} or Anthropic's {type: 'error', error}. */
interface ErrorReply {
  type?: string;
  error: { message: string; type: string; code?: string | null; param?: string | null };
}

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${harness.proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, body: (await response.json()) as ErrorReply };
}

describe('bad input gets a clear 4xx in the caller’s API format', () => {
  it('malformed JSON, a missing model and a non-object body', async () => {
    harness = await startHarness();
    const broken = await post('/v1/chat/completions', '{"model": "gpt-4o",');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    expect(broken.body.error.message).toMatch(/not valid JSON/);
    const noModel = await post('/v1/chat/completions', JSON.stringify({ messages }));
    expect(noModel.body.error).toMatchObject({ param: 'model' });
    expect((await post('/v1/chat/completions', '[1,2]')).status).toBe(400);
    const anthropicStyle = await post('/v1/messages', '{oops');
    expect(anthropicStyle.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(harness.openaiUpstream.requests).toHaveLength(0);
  });

  it('an unknown model is a 404 the SDKs recognize, naming what is configured', async () => {
    harness = await startHarness({ extraModels: [{ name: 'claude-haiku-4-5', provider: 'anthropic' }] });
    const openaiFailure = await harness.openai.chat.completions
      .create({ model: 'nope', messages })
      .catch((e) => e);
    expect(openaiFailure).toBeInstanceOf(OpenAI.NotFoundError);
    expect(openaiFailure.code).toBe('model_not_found');
    expect(openaiFailure.message).toContain('claude-haiku-4-5');
    const anthropicFailure = await harness.anthropic.messages
      .create({ model: 'nope', max_tokens: 5, messages })
      .catch((e) => e);
    expect(anthropicFailure).toBeInstanceOf(Anthropic.NotFoundError);
    expect(anthropicFailure.error.error.type).toBe('not_found_error');
  });

  it('asking an Anthropic model for embeddings says only chat is translated between APIs', async () => {
    harness = await startHarness();
    const failure = await harness.openai.embeddings
      .create({ model: 'claude-haiku-4-5', input: 'text' })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect(failure.message).toContain('no embeddings endpoint');
    expect(failure.message).toContain('POST /v1/messages');
  });

  it('oversized bodies, wrong content type, wrong method, unknown paths', async () => {
    harness = await startHarness({
      config: (openai, anthropic) => ({
        ...harnessConfig(openai, anthropic),
        server: { maxBodyBytes: 1024 },
      }),
    });
    const big = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'gpt-4o', messages, pad: 'x'.repeat(5000) }),
    );
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('request_too_large');
    const plain = await post('/v1/chat/completions', '{}', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    const get = await fetch(`${harness.proxy.url}/v1/chat/completions`);
    expect(get.status).toBe(405);
    const unknown = await fetch(`${harness.proxy.url}/v1/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorReply).error.message).toContain('/v1/nothing-here');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    harness = await startHarness();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${harness.proxy.url}/healthz`,
        { headers: { host: 'evil.example:4000' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('upstream failures', () => {
  it('passes an upstream error through with its status, body and headers', async () => {
    harness = await startHarness({
      openai: openaiHandler({
        routes: {
          chat: () =>
            openaiError(429, {
              message: 'Rate limit reached',
              type: 'requests',
              code: 'rate_limit_exceeded',
            }),
        },
      }),
    });
    const failure = await harness.openai.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(OpenAI.RateLimitError);
    expect(failure.message).toContain('Rate limit reached');
    expect(failure.headers.get('retry-after')).toBe('1');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 429, errorClass: 'rate_limit_exceeded' });
  });

  it('an unreachable upstream is a 502 in the caller’s format', async () => {
    harness = await startHarness({
      config: () => ({
        providers: { dead: { kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k' } },
        models: [{ name: 'gpt-4o', provider: 'dead' }],
      }),
    });
    const failure = await harness.openai.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure.status).toBe(502);
    expect(failure.message).toContain('cannot reach provider "dead"');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 502, errorClass: 'upstream_unreachable' });
  });

  it('an upstream that never answers is a 504 after the idle timeout', async () => {
    harness = await startHarness({
      openai: () => ({ kind: 'hang' }),
      config: (openai) => ({
        providers: { slow: { kind: 'openai', baseUrl: `${openai}/v1`, apiKey: 'k', idleTimeoutMs: 200 } },
        models: [{ name: 'gpt-4o', provider: 'slow' }],
      }),
    });
    const failure = await harness.openai.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((e) => e);
    expect(failure.status).toBe(504);
    const [event] = await harness.waitForEvents(1);
    expect(event!.errorClass).toBe('upstream_timeout');
  });

  it('a stream cut mid-way ends with an in-band error the OpenAI SDK raises', async () => {
    harness = await startHarness({
      openai: (request) => ({
        kind: 'reset-after',
        events: chatCompletionChunks(request, { content: 'a b c d' }),
        afterEvents: 2,
      }),
    });
    const stream = await harness.openai.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const failure = await (async () => {
      for await (const _chunk of stream) void _chunk;
    })().catch((e) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(failure.message).toContain('upstream stream interrupted');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: 'upstream_stream_interrupted' });
  });

  it('an Anthropic stream cut mid-way raises in the Anthropic SDK', async () => {
    harness = await startHarness({
      anthropic: (request) => ({
        kind: 'reset-after',
        events: messageStreamEvents(request, { content: 'x y z' }),
        afterEvents: 3,
      }),
    });
    const failure = await harness.anthropic.messages
      .stream({ model: 'claude-haiku-4-5', max_tokens: 5, messages })
      .finalMessage()
      .catch((e) => e);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect(String(failure.message)).toContain('upstream stream interrupted');
  });

  it('an upstream that answers garbage is recorded, and the client gets the bytes as sent', async () => {
    harness = await startHarness({
      openai: () => ({
        kind: 'raw',
        status: 200,
        headers: { 'content-type': 'application/json' },
        chunks: ['<html>oops'],
      }),
    });
    const response = await fetch(`${harness.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages }),
    });
    expect(await response.text()).toBe('<html>oops');
    const [event] = await harness.waitForEvents(1);
    expect(event!.errorClass).toBe('upstream_invalid_json');
  });

  it('a client that hangs up mid-stream is recorded as 499 and the upstream request is cancelled', async () => {
    harness = await startHarness({
      anthropic: (request) => ({ kind: 'hang', events: messageStreamEvents(request, {}).slice(0, 2) }),
    });
    const controller = new AbortController();
    const response = await fetch(`${harness.proxy.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 5, messages, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({
      status: 499,
      errorClass: 'client_closed_request',
      inputTokens: expect.any(Number),
    });
  });
});
