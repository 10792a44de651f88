/**
 * Fidelity of the OpenAI mock: the official `openai` client parses every
 * payload, its stream accumulators rebuild the scripted text and usage, and
 * scripted errors surface as its typed errors.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockUpstream } from '../support/mock-upstream.ts';
import type { MockUpstream } from '../support/mock-upstream.ts';
import { dataOnlyJsonEvent } from '../support/sse-frame.ts';
import {
  chatCompletion,
  chatCompletionChunks,
  defaultEmbeddingVector,
  legacyCompletionUsage,
  openaiError,
  openaiErrorBody,
  openaiHandler,
  openaiUsage,
  responsesUsage,
} from './openai.ts';
import type { OpenAIUsageSpec } from './openai.ts';

const SPEC: OpenAIUsageSpec = { prompt: 1200, completion: 340, cached: 1024, reasoning: 128 };
const TEXT = 'The quick brown fox jumps.';
const messages = [{ role: 'user' as const, content: 'hi' }];

let upstream: MockUpstream;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream(openaiHandler());
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${upstream.url}/v1`, maxRetries: 0 });
});
afterAll(() => upstream.close());
beforeEach(() => {
  upstream.setHandler(openaiHandler({ content: TEXT, usage: SPEC }));
  upstream.requests.length = 0;
});

describe('chat completions', () => {
  it('parses a completion with the documented nested usage', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o', messages })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('gpt-4o');
    expect(data.choices[0]?.message.content).toBe(TEXT);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toEqual(openaiUsage(SPEC));
    expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(1024);
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBe(128);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('4999');
  });

  it('parses tool calls', async () => {
    const toolCalls = [{ name: 'get_weather', arguments: '{"city":"Paris"}' }];
    upstream.setHandler(() => chatCompletion({ toolCalls }));
    const data = await client.chat.completions.create({ model: 'gpt-4o', messages });
    const call = data.choices[0]?.message.tool_calls?.[0];
    expect(data.choices[0]?.finish_reason).toBe('tool_calls');
    expect(data.choices[0]?.message.content).toBeNull();
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
  });

  it('streams usage only in a final choices-less chunk when include_usage is set', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(openaiUsage(SPEC));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(TEXT);
  });

  it('sends no usage field at all without include_usage', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('accumulates text and usage with chat.completions.stream', async () => {
    const final = await client.chat.completions
      .stream({ model: 'gpt-4o', messages, stream_options: { include_usage: true } })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(TEXT);
    expect(final.usage).toEqual(openaiUsage(SPEC));
  });

  it('accumulates streamed tool call arguments', async () => {
    const toolCalls = [{ id: 'call_1', name: 'lookup', arguments: '{"query":"netra apex","limit":3}' }];
    upstream.setHandler((request) => ({
      kind: 'sse',
      events: [...chatCompletionChunks(request, { toolCalls }), { data: '[DONE]' }],
    }));
    const final = await client.chat.completions.stream({ model: 'gpt-4o', messages }).finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.id).toBe('call_1');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
      query: 'netra apex',
      limit: 3,
    });
  });

  it('surfaces an error chunk sent mid-stream as an APIError', async () => {
    upstream.setHandler((request) => ({
      kind: 'sse',
      events: [
        ...chatCompletionChunks(request).slice(0, 2),
        dataOnlyJsonEvent(openaiErrorBody(500, { message: 'stream broke' })),
      ],
    }));
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        // draining until the error chunk
      }
    };
    await expect(consume()).rejects.toThrow(/stream broke/);
  });
});

describe('legacy completions and embeddings', () => {
  it('parses a legacy completion and its stream', async () => {
    const data = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say' });
    expect(data.object).toBe('text_completion');
    expect(data.choices[0]?.text).toBe(TEXT);
    expect(data.usage).toEqual(legacyCompletionUsage(SPEC));

    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say',
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBe(TEXT);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual(legacyCompletionUsage(SPEC));
  });

  it('answers the base64 embeddings the client asks for by default, which it decodes', async () => {
    const data = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(upstream.requests[0]?.json).toMatchObject({ encoding_format: 'base64' });
    expect(data.data.map((item) => Array.from(item.embedding))).toEqual([
      defaultEmbeddingVector(0),
      defaultEmbeddingVector(1),
    ]);
    expect(data.usage).toEqual({ prompt_tokens: 10, total_tokens: 10 });
  });

  it('answers float embeddings with the requested dimensions', async () => {
    const data = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'a',
      encoding_format: 'float',
      dimensions: 4,
    });
    expect(data.data[0]?.embedding).toEqual(defaultEmbeddingVector(0, 4));
  });
});

describe('responses API', () => {
  it('parses a response with Responses-style usage', async () => {
    const data = await client.responses.create({ model: 'gpt-4o', input: 'hi' });
    expect(data.status).toBe('completed');
    expect(data.output_text).toBe(TEXT);
    expect(data.usage).toEqual(responsesUsage(SPEC));
    expect(data.usage?.input_tokens_details.cached_tokens).toBe(1024);
    expect(data.usage?.output_tokens_details.reasoning_tokens).toBe(128);
  });

  it('streams the documented event sequence', async () => {
    const stream = await client.responses.create({ model: 'gpt-4o', input: 'hi', stream: true });
    const events = [];
    for await (const streamEvent of stream) events.push(streamEvent);
    const types = events.map((streamEvent) => streamEvent.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((streamEvent) => streamEvent.sequence_number)).toEqual(events.map((_, index) => index));
  });

  it('accumulates text and usage with responses.stream', async () => {
    const final = await client.responses.stream({ model: 'gpt-4o', input: 'hi' }).finalResponse();
    expect(final.output_text).toBe(TEXT);
    expect(final.usage).toEqual(responsesUsage(SPEC));
  });
});

describe('models and errors', () => {
  it('lists models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small']);
  });

  it('surfaces 429 as RateLimitError with body fields and rate-limit headers', async () => {
    upstream.setHandler(() => openaiError(429, {}, { retryAfterSeconds: 7 }));
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.message).toMatch(/^429 Rate limit reached/);
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.type).toBe('requests');
    expect(rateLimit.param).toBeNull();
    expect(rateLimit.requestID).toMatch(/^req_/);
    expect(rateLimit.headers?.get('retry-after')).toBe('7');
    expect(rateLimit.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(rateLimit.headers?.get('x-ratelimit-reset-tokens')).toBe('6m0s');
  });

  it.each([
    [400, OpenAI.BadRequestError],
    [401, OpenAI.AuthenticationError],
    [403, OpenAI.PermissionDeniedError],
    [404, OpenAI.NotFoundError],
    [500, OpenAI.InternalServerError],
    [503, OpenAI.InternalServerError],
  ])('surfaces %i as its typed error', async (status, errorClass) => {
    upstream.setHandler(() => openaiError(status, { message: `scripted ${status}`, code: 'scripted' }));
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, message: `${status} scripted ${status}`, code: 'scripted' });
  });

  it('answers unknown paths the way OpenAI does', async () => {
    const error = await client.post('/nope', { body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({
      message: '404 Invalid URL (POST /v1/nope)',
      type: 'invalid_request_error',
    });
  });
});
