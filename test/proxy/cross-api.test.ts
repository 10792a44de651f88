// A client calls any model through either API: OpenAI SDK → Anthropic model, Anthropic SDK → OpenAI
// model, answered in the client's own format, streams rebuilt event by event, usage priced.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicError, anthropicHandler } from '../mocks/anthropic.ts';
import { openaiHandler } from '../mocks/openai.ts';
import { openaiError } from '../mocks/openai-wire.ts';
import { harnessConfig, startHarness, type Harness } from '../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('OpenAI SDK calling an Anthropic model', () => {
  it('gets a chat completion with the Anthropic answer, usage and a priced usage event', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({ content: 'Bonjour!', usage: { input: 30, output: 4 } }),
    });
    const completion = await harness.openai.chat.completions.create({
      model: 'claude-haiku-4-5',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
      max_tokens: 100,
      tools: [weatherTool],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message.content).toBe('Bonjour!');
    expect(completion.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 4 });
    const sent = harness.anthropicUpstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('sk-ant-upstream-secret');
    expect(sent.json).toMatchObject({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: 'Answer in French.',
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({
      api: 'openai',
      provider: 'anthropic',
      inputTokens: 30,
      outputTokens: 4,
      status: 200,
    });
    expect(event!.costNanos).toBeGreaterThan(0);
  });

  it('streams: the Anthropic events arrive as chat.completion.chunk deltas the SDK accumulates', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({ content: 'One two three four', usage: { input: 12, output: 5 } }),
    });
    const stream = harness.openai.chat.completions.stream({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Count' }],
      stream_options: { include_usage: true },
    });
    const chunks: string[] = [];
    stream.on('content', (delta) => chunks.push(delta));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('One two three four');
    expect(chunks.length).toBeGreaterThan(1);
    expect(final.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 5 });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ streamed: true, inputTokens: 12, outputTokens: 5, errorClass: null });
  });

  it('receives a provider error in OpenAI’s format, with the status kept', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({
        routes: { messages: () => anthropicError(529, 'overloaded_error', 'Overloaded') },
      }),
    });
    const failure = await harness.openai.chat.completions
      .create({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(529);
    expect((failure as Error).message).toContain('Overloaded');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 529, errorClass: 'overloaded_error' });
  });

  it('is cached in the client’s format: a repeat is answered by Apex without calling Anthropic', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({ content: 'Cached answer' }),
      config: (openaiUrl, anthropicUrl) => ({
        ...harnessConfig(openaiUrl, anthropicUrl),
        proof: { controlShare: 0 },
      }),
    });
    const ask = () =>
      harness.openai.chat.completions
        .create({ model: 'claude-haiku-4-5', temperature: 0, messages: [{ role: 'user', content: 'Same?' }] })
        .withResponse();
    const first = await ask();
    const second = await ask();
    expect(second.response.headers.get('x-apex-cache')).toBe('hit');
    expect(second.data.choices[0]!.message.content).toBe('Cached answer');
    expect(second.data.object).toBe('chat.completion');
    expect(first.data.choices[0]!.message.content).toBe('Cached answer');
    expect(harness.anthropicUpstream.requests).toHaveLength(1);
  });

  it('is refused with a 400 naming the field when the request cannot be expressed for Anthropic', async () => {
    harness = await startHarness();
    const failure = await harness.openai.chat.completions
      .create({ model: 'claude-haiku-4-5', n: 2, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as Error).message).toContain('cannot translate');
    expect(harness.anthropicUpstream.requests).toHaveLength(0);
  });
});

describe('Anthropic SDK calling an OpenAI model', () => {
  it('gets a Messages answer with the OpenAI completion’s text and usage', async () => {
    harness = await startHarness({ openai: openaiHandler({ content: 'Hi there.' }) });
    const message = await harness.anthropic.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 50,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn' });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hi there.' });
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    const sent = harness.openaiUpstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-openai-secret');
    expect((sent.json as { messages: Array<{ role: string }> }).messages[0]).toMatchObject({
      role: 'system',
    });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ api: 'anthropic', endpoint: 'messages', provider: 'openai', status: 200 });
    expect(event!.inputTokens).toBe(message.usage.input_tokens);
  });

  it('streams: OpenAI chunks become the Messages event sequence the SDK’s MessageStream accepts', async () => {
    harness = await startHarness({ openai: openaiHandler({ content: 'Streaming through Apex works.' }) });
    const stream = harness.anthropic.messages.stream({
      model: 'gpt-4o-mini',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Say something' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Streaming through Apex works.' });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(
      (harness.openaiUpstream.requests.at(-1)!.json as { stream_options: unknown }).stream_options,
    ).toEqual({
      include_usage: true,
    });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ streamed: true, errorClass: null });
    expect(event!.outputTokens).toBe(final.usage.output_tokens);
  });

  it('receives a rate limit in Anthropic’s format', async () => {
    harness = await startHarness({
      openai: openaiHandler({ routes: { chat: () => openaiError(429, { message: 'Slow down' }) } }),
    });
    const failure = await harness.anthropic.messages
      .create({ model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    expect((failure as Error).message).toContain('Slow down');
  });
});
