/**
 * What the SDKs hide: the raw frames and exact JSON shapes on the wire
 * (sentinels, event names, pings, null usage fields, error envelopes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream } from '../support/mock-upstream.ts';
import type { MockHandler, MockUpstream } from '../support/mock-upstream.ts';
import { jsonPayloads, readSseEvents } from '../support/sse-parse.ts';
import { anthropicError, anthropicHandler, anthropicUsage } from './anthropic.ts';
import { openaiError, openaiHandler, openaiUsage, responsesUsage } from './openai.ts';

let upstream: MockUpstream;
const openai = openaiHandler();
const anthropic = anthropicHandler();
const byPrefix: MockHandler = (request) =>
  request.headers['x-api-key'] ? anthropic(request) : openai(request);

beforeAll(async () => {
  upstream = await startMockUpstream(byPrefix);
});
afterAll(() => upstream.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${upstream.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('usage and error shapes', () => {
  it('builds the documented OpenAI usage objects', () => {
    expect(openaiUsage({ prompt: 10, completion: 4, cached: 6, reasoning: 2 })).toEqual({
      prompt_tokens: 10,
      completion_tokens: 4,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 6, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 2,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
    expect(responsesUsage({ prompt: 10, completion: 4, cached: 6, reasoning: 2 })).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 6 },
      output_tokens: 4,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 14,
    });
  });

  it('builds the documented Anthropic usage object', () => {
    expect(anthropicUsage({ input: 5, output: 3, cacheRead: 7, cacheWrite5m: 2, cacheWrite1h: 1 })).toEqual({
      input_tokens: 5,
      cache_creation_input_tokens: 3,
      cache_read_input_tokens: 7,
      cache_creation: { ephemeral_5m_input_tokens: 2, ephemeral_1h_input_tokens: 1 },
      output_tokens: 3,
      service_tier: 'standard',
    });
  });

  it('wraps errors in each provider envelope', () => {
    const openaiBody = openaiError(429).body as { error: Record<string, unknown> };
    expect(Object.keys(openaiBody.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    const reply = anthropicError(529);
    expect(reply.body).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: reply.headers?.['request-id'],
    });
    expect(reply.headers?.['retry-after']).toBeUndefined();
    expect(anthropicError(429).headers?.['retry-after']).toBe('1');
  });
});

describe('OpenAI frames', () => {
  it('streams data-only chunks, a usage chunk and the [DONE] sentinel', async () => {
    const body = { model: 'gpt-4o', messages: [], stream: true, stream_options: { include_usage: true } };
    const events = await readSseEvents(await post('/v1/chat/completions', body));
    const chunks = jsonPayloads(events);
    expect(events.every((sseEvent) => sseEvent.event === undefined)).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
    expect(chunks[0]).toMatchObject({
      object: 'chat.completion.chunk',
      model: 'gpt-4o',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
      usage: null,
    });
    expect(chunks.at(-2)).toMatchObject({ choices: [{ delta: {}, finish_reason: 'stop' }], usage: null });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 19 } });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('omits obfuscation when include_obfuscation is false', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [],
      stream: true,
      stream_options: { include_obfuscation: false },
    };
    const chunks = jsonPayloads(await readSseEvents(await post('/v1/chat/completions', body)));
    expect(chunks.some((chunk) => 'obfuscation' in chunk || 'usage' in chunk)).toBe(false);
  });

  it('names every Responses event after its type, numbers them, and sends no [DONE]', async () => {
    const events = await readSseEvents(
      await post('/v1/responses', { model: 'gpt-4o', input: 'hi', stream: true }),
    );
    const payloads = jsonPayloads(events);
    expect(events.map((sseEvent) => sseEvent.event)).toEqual(payloads.map((payload) => payload.type));
    expect(payloads.map((payload) => payload.sequence_number)).toEqual(payloads.map((_, index) => index));
    expect(events.some((sseEvent) => sseEvent.data === '[DONE]')).toBe(false);
    expect(payloads.at(-1)).toMatchObject({ response: { status: 'completed', usage: { total_tokens: 19 } } });
  });
});

describe('Anthropic frames', () => {
  it('sends the documented event sequence with a ping after the first block starts', async () => {
    const response = await post(
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 10, messages: [], stream: true },
      { 'x-api-key': 'k' },
    );
    const events = await readSseEvents(response);
    const names = events.map((sseEvent) => sseEvent.event);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(names.slice(3, -3).every((name) => name === 'content_block_delta')).toBe(true);
    expect(events.map((sseEvent) => sseEvent.event)).toEqual(
      jsonPayloads(events).map((payload) => payload.type),
    );
    expect(jsonPayloads(events).at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 21,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 9,
      },
    });
    expect(response.headers.get('request-id')).toMatch(/^req_/);
  });
});
