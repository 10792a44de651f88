// Streams that break: a reset after some tokens, and event streams that break the SSE rules.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  failureOf,
  hello,
  openaiClient,
  startFaultHarness,
  type FaultHarness,
} from '../support/fault-harness.ts';
import type { MalformedVariant } from '../support/fault-upstream.ts';

let h: FaultHarness;
afterEach(async () => h?.close());

const VARIANTS: MalformedVariant[] = ['garbage', 'broken-json', 'truncated'];
const ANTHROPIC_HEADERS = { 'anthropic-version': '2023-06-01' };
const streamChat = (model: string) => ({ model, messages: hello, stream: true as const });
const streamMessages = (model: string) => ({ model, max_tokens: 20, messages: hello, stream: true as const });

/** The text an SDK stream yielded before it ended, and what it threw, if anything. */
async function drain<T>(stream: AsyncIterable<T>, text: (item: T) => string) {
  let received = '';
  try {
    for await (const item of stream) received += text(item);
    return { received, error: null as unknown };
  } catch (error) {
    return { received, error };
  }
}

const chatText = (chunk: OpenAI.ChatCompletionChunk) => chunk.choices[0]?.delta.content ?? '';
const messageText = (event: Anthropic.RawMessageStreamEvent) =>
  event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '';

describe('a stream reset part-way', () => {
  it('delivers the tokens sent so far, then an in-band error the OpenAI SDK raises; no retry', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'reset-mid-stream', afterEvents: 3 });
    const stream = await h.openai.chat.completions.create(streamChat('gpt-4o-mini'));
    const { received, error } = await drain(stream, chatText);
    expect(received).toBe('Hello from ');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as Error).message).toContain('upstream stream interrupted');
    expect(h.openaiUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({
      status: 200,
      errorClass: 'upstream_stream_interrupted',
      provider: 'openai',
    });
  });

  it('ends an Anthropic stream with the error event the Anthropic SDK raises', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'reset-mid-stream', afterEvents: 5 });
    const stream = await h.anthropic.messages.create(streamMessages('claude-haiku-4-5'));
    const { received, error } = await drain(stream, messageText);
    expect(received).toBe('Hello from ');
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'api_error' },
    });
    expect(h.anthropicUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({
      status: 200,
      errorClass: 'upstream_stream_interrupted',
      provider: 'anthropic',
      inputTokens: 21,
    });
  });

  it('raises the error in the client’s format when the stream was translated', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'reset-mid-stream', afterEvents: 6 });
    const stream = await h.openai.chat.completions.create(streamChat('claude-haiku-4-5'));
    const { received, error } = await drain(stream, chatText);
    expect(received).toBe('Hello from the ');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(h.anthropicUp.count()).toBe(1);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: 'upstream_stream_interrupted' });
  });
});

describe('malformed event streams, same API', () => {
  it.each(VARIANTS)(
    'relays an OpenAI stream with %s byte for byte and notes the usage missing',
    async (variant) => {
      h = await startFaultHarness();
      h.openaiUp.script({ kind: 'malformed', variant });
      const body = { ...streamChat('gpt-4o-mini'), stream_options: { include_usage: true } };
      const response = await h.post('/v1/chat/completions', body);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(h.openaiUp.requests[0]!.sent);
      const [event] = await h.waitForEvents(1);
      expect(event).toMatchObject({
        status: 200,
        errorClass: 'usage_missing',
        provider: 'openai',
        inputTokens: 0,
      });
      // Still serving.
      const next = await h.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
      expect(next.usage?.prompt_tokens).toBe(12);
    },
  );

  it.each(VARIANTS)('relays an Anthropic stream with %s byte for byte', async (variant) => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'malformed', variant });
    const response = await h.post('/v1/messages', streamMessages('claude-haiku-4-5'), ANTHROPIC_HEADERS);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(h.anthropicUp.requests[0]!.sent);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, provider: 'anthropic', streamed: true });
    expect(h.anthropicUp.count()).toBe(1);
  });

  it('leaves the OpenAI SDK seeing what a direct call sees', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'malformed', variant: 'garbage' }, { kind: 'malformed', variant: 'garbage' });
    const direct = openaiClient(`${h.openaiUp.url}/v1`);
    const viaDirect = await drain(await direct.chat.completions.create(streamChat('gpt-4o-mini')), chatText);
    const viaApex = await drain(await h.openai.chat.completions.create(streamChat('gpt-4o-mini')), chatText);
    expect(viaApex.received).toBe(viaDirect.received);
    expect(viaDirect.error).toBeInstanceOf(SyntaxError);
    expect(viaApex.error).toBeInstanceOf(SyntaxError);
    expect((viaApex.error as Error).message).toBe((viaDirect.error as Error).message);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: 'usage_missing' });
  });

  it('relays a JSON answer that is not JSON as it came, and says so on the event', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'malformed', variant: 'broken-json' });
    const response = await h.post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: hello });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(h.openaiUp.requests[0]!.sent);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: 'upstream_invalid_json', provider: 'openai' });
  });
});

describe('malformed event streams, translated', () => {
  it('gives an Anthropic client a clean error for a broken OpenAI chunk', async () => {
    h = await startFaultHarness();
    h.openaiUp.script({ kind: 'malformed', variant: 'broken-json' });
    const stream = await h.anthropic.messages.create(streamMessages('gpt-4o-mini'));
    const { received, error } = await drain(stream, messageText);
    expect(received).toBe('Hello from the mock upstream.');
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({ status: 200, errorClass: 'upstream_stream_error_502', provider: 'openai' });
  });

  it.each(VARIANTS)(
    'ends an OpenAI client’s stream from an Anthropic stream with %s, never hanging',
    async (variant) => {
      h = await startFaultHarness();
      h.anthropicUp.script({ kind: 'malformed', variant });
      const started = Date.now();
      const stream = await h.openai.chat.completions.create(streamChat('claude-haiku-4-5'));
      const { received } = await drain(stream, chatText);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(received).toBe('Hello from the mock Anthropic API.');
      const [event] = await h.waitForEvents(1);
      expect(event).toMatchObject({ status: 200, provider: 'anthropic' });
    },
  );

  it('answers a non-streamed Anthropic body that is not JSON with a 502 in the OpenAI format', async () => {
    h = await startFaultHarness();
    h.anthropicUp.script({ kind: 'malformed', variant: 'broken-json' });
    const error = await failureOf(
      h.openai.chat.completions.create({ model: 'claude-haiku-4-5', messages: hello }),
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    const [event] = await h.waitForEvents(1);
    expect(event).toMatchObject({
      status: 502,
      errorClass: 'upstream_invalid_response',
      provider: 'anthropic',
    });
  });
});
