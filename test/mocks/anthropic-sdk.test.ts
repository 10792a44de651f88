/**
 * Fidelity of the Anthropic mock: the official `@anthropic-ai/sdk` client
 * parses every payload, its MessageStream rebuilds the scripted content and
 * usage, and scripted errors surface as its typed errors.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockUpstream } from '../support/mock-upstream.ts';
import type { MockUpstream } from '../support/mock-upstream.ts';
import {
  anthropicError,
  anthropicErrorEvent,
  anthropicHandler,
  anthropicUsage,
  message,
  messageStream,
  messageStreamEvents,
} from './anthropic.ts';
import type { AnthropicErrorType, AnthropicUsageSpec } from './anthropic.ts';

const SPEC: AnthropicUsageSpec = {
  input: 50,
  output: 420,
  cacheRead: 3000,
  cacheWrite5m: 200,
  cacheWrite1h: 100,
};
const TEXT = 'Bonjour, this is Claude speaking.';
const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

let upstream: MockUpstream;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startMockUpstream(anthropicHandler());
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: upstream.origin, maxRetries: 0 });
});
afterAll(() => upstream.close());
beforeEach(() => {
  upstream.setHandler(anthropicHandler({ content: TEXT, usage: SPEC }));
  upstream.requests.length = 0;
});

describe('messages', () => {
  it('parses a message with cache usage split by TTL', async () => {
    const { data, response } = await client.messages.create(params).withResponse();
    expect(data.type).toBe('message');
    expect(data.model).toBe('claude-sonnet-4-6');
    expect(data.content).toEqual([{ type: 'text', text: TEXT }]);
    expect(data.stop_reason).toBe('end_turn');
    expect(data.usage).toEqual(anthropicUsage(SPEC));
    expect(data.usage.cache_creation_input_tokens).toBe(300);
    expect(data.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 200,
      ephemeral_1h_input_tokens: 100,
    });
    expect(response.headers.get('request-id')).toMatch(/^req_011C/);
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('3999');
    expect(response.headers.get('anthropic-ratelimit-input-tokens-reset')).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('parses tool use and thinking blocks', async () => {
    upstream.setHandler(() =>
      message({ thinking: 'Let me check.', toolUse: { name: 'get_weather', input: { city: 'Paris' } } }),
    );
    const data = await client.messages.create(params);
    expect(data.stop_reason).toBe('tool_use');
    expect(data.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(data.content[2]).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
  });

  it('streams the documented event sequence with cumulative output usage', async () => {
    const stream = await client.messages.create({ ...params, stream: true });
    const events = [];
    for await (const streamEvent of stream) events.push(streamEvent);
    const types = events.map((streamEvent) => streamEvent.type);
    expect(types[0]).toBe('message_start');
    expect(types.slice(1, 3)).toEqual(['content_block_start', 'content_block_delta']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    const start = events[0]?.type === 'message_start' ? events[0].message : undefined;
    const delta = events.at(-2)?.type === 'message_delta' ? events.at(-2) : undefined;
    expect(start?.usage).toEqual({ ...anthropicUsage(SPEC), output_tokens: 1 });
    expect(start?.stop_reason).toBeNull();
    expect(delta).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 420 } });
  });

  it('accumulates text and final usage with messages.stream', async () => {
    const final = await client.messages.stream(params).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: TEXT }]);
    expect(final.usage).toEqual(anthropicUsage(SPEC));
  });

  it('keeps message_start input usage when message_delta carries output only', async () => {
    upstream.setHandler((request) =>
      messageStream(request, { usage: anthropicUsage(SPEC), deltaInputUsage: false }),
    );
    const final = await client.messages.stream(params).finalMessage();
    expect(final.usage).toEqual(anthropicUsage(SPEC));
  });

  it('accumulates streamed thinking, text and tool input', async () => {
    upstream.setHandler((request) =>
      messageStream(request, {
        thinking: 'Weather needs a tool.',
        content: 'Checking.',
        toolUse: { id: 'toolu_01abc', name: 'get_weather', input: { city: 'Paris', unit: 'c' } },
      }),
    );
    const final = await client.messages.stream(params).finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'Weather needs a tool.' });
    expect(final.content[1]).toMatchObject({ type: 'text', text: 'Checking.' });
    expect(final.content[2]).toMatchObject({
      type: 'tool_use',
      id: 'toolu_01abc',
      input: { city: 'Paris', unit: 'c' },
    });
  });

  it('surfaces an in-stream error event as an APIError of that type', async () => {
    upstream.setHandler((request) => ({
      kind: 'sse',
      events: [
        ...messageStreamEvents(request).slice(0, 4),
        anthropicErrorEvent('overloaded_error', 'Overloaded'),
      ],
    }));
    const error = await client.messages
      .stream(params)
      .finalMessage()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ type: 'overloaded_error', apiMessage: 'Overloaded' });
  });
});

describe('models, token counting and errors', () => {
  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual([
      'claude-sonnet-4-6',
      'claude-haiku-4-5-20251001',
      'claude-opus-4-6',
    ]);
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: 'Claude Sonnet 4.6' });
    expect(page.data[1]?.display_name).toBe('Claude Haiku 4.5');
    expect(page.has_more).toBe(false);
  });

  it('counts tokens as the whole prompt', async () => {
    const counted = await client.messages.countTokens(params);
    expect(counted.input_tokens).toBe(50 + 3000 + 200 + 100);
  });

  it('surfaces 429 as RateLimitError with request id and rate-limit headers', async () => {
    upstream.setHandler(() =>
      anthropicError(429, 'rate_limit_error', 'Slow down', { retryAfterSeconds: 12 }),
    );
    const error = await client.messages.create(params).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimit = error as InstanceType<typeof Anthropic.RateLimitError>;
    const body = rateLimit.error as { request_id: string };
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.apiMessage).toBe('Slow down');
    expect(rateLimit.type).toBe('rate_limit_error');
    expect(rateLimit.requestID).toBe(body.request_id);
    expect(rateLimit.headers?.get('retry-after')).toBe('12');
    expect(rateLimit.headers?.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(rateLimit.headers?.get('anthropic-ratelimit-output-tokens-remaining')).toBe('0');
  });

  it.each<[number, AnthropicErrorType, abstract new (...args: never[]) => Error]>([
    [400, 'invalid_request_error', Anthropic.BadRequestError],
    [401, 'authentication_error', Anthropic.AuthenticationError],
    [403, 'permission_error', Anthropic.PermissionDeniedError],
    [404, 'not_found_error', Anthropic.NotFoundError],
    [413, 'request_too_large', Anthropic.ContentTooLargeError],
    [500, 'api_error', Anthropic.InternalServerError],
    [529, 'overloaded_error', Anthropic.OverloadedError],
  ])('surfaces %i %s as its typed error', async (status, type, errorClass) => {
    upstream.setHandler(() => anthropicError(status));
    const error = await client.messages.create(params).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, type, requestID: expect.stringMatching(/^req_011C/) });
  });

  it('answers unknown paths with not_found_error', async () => {
    const error = await client.post('/v1/nope', { body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error).toMatchObject({ type: 'not_found_error' });
  });
});
