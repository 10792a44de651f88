// The edges of cross-API calls: keys Apex does not hold, garbled answers, streams cut short.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicHandler, messageStreamEvents } from '../mocks/anthropic.ts';
import { openaiHandler } from '../mocks/openai.ts';
import { harnessConfig, startHarness, type Harness } from '../support/apex-harness.ts';

let harness: Harness;
afterEach(async () => harness?.close());

/** Providers without keys of Apex's own: the caller's key is forwarded in the provider's header. */
function keyless(openaiUrl: string, anthropicUrl: string) {
  const base = harnessConfig(openaiUrl, anthropicUrl) as { providers: Record<string, object> };
  return {
    ...base,
    providers: {
      ...base.providers,
      openai: { kind: 'openai', baseUrl: `${openaiUrl}/v1` },
      anthropic: { kind: 'anthropic', baseUrl: anthropicUrl },
    },
  };
}

const hello = [{ role: 'user' as const, content: 'Hello' }];

describe('cross-API calls at the edges', () => {
  it('moves the caller’s own key into the other provider’s header when Apex has none', async () => {
    harness = await startHarness({ config: keyless });
    await harness.openai.chat.completions.create({ model: 'claude-haiku-4-5', messages: hello });
    const toAnthropic = harness.anthropicUpstream.requests.at(-1)!;
    expect(toAnthropic.headers['x-api-key']).toBe('sk-client-key');
    expect(toAnthropic.headers.authorization).toBeUndefined();
    await harness.anthropic.messages.create({ model: 'gpt-4o-mini', max_tokens: 20, messages: hello });
    const toOpenAI = harness.openaiUpstream.requests.at(-1)!;
    expect(toOpenAI.headers.authorization).toBe('Bearer sk-ant-client-key');
    expect(toOpenAI.headers['x-api-key']).toBeUndefined();
  });

  it('answers a garbled provider answer with a 502 in the client’s format', async () => {
    harness = await startHarness({
      anthropic: anthropicHandler({
        routes: { messages: () => ({ kind: 'json', body: { type: 'message' } }) },
      }),
    });
    const failure = await harness.openai.chat.completions
      .create({ model: 'claude-haiku-4-5', messages: hello })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 502, errorClass: 'upstream_invalid_response' });
  });

  it('ends a stream the provider cut short with the client format’s in-band error', async () => {
    const events = messageStreamEvents(undefined, { content: 'This answer will be cut' });
    harness = await startHarness({
      openai: openaiHandler(),
      anthropic: anthropicHandler({
        routes: { messages: () => ({ kind: 'reset-after', events, afterEvents: 3 }) },
      }),
    });
    const stream = await harness.openai.chat.completions.create({
      model: 'claude-haiku-4-5',
      stream: true,
      messages: hello,
    });
    const failure = await (async () => {
      for await (const _chunk of stream) void _chunk;
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    const [event] = await harness.waitForEvents(1);
    expect(event!.errorClass).toBe('upstream_stream_interrupted');
  });

  it('keeps the Anthropic SDK’s error class for a translated 4xx', async () => {
    harness = await startHarness({
      openai: openaiHandler({
        routes: {
          chat: () => ({
            kind: 'json',
            status: 400,
            body: { error: { message: 'bad model parameter', type: 'invalid_request_error' } },
          }),
        },
      }),
    });
    const failure = await harness.anthropic.messages
      .create({ model: 'gpt-4o-mini', max_tokens: 10, messages: hello })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect((failure as Error).message).toContain('bad model parameter');
  });
});
