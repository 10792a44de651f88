// AWS Bedrock through the proxy for the Anthropic SDK: Messages in, Converse / ConverseStream out,
// errors and mid-stream exceptions back as Anthropic's own.
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/apex-harness.ts';
import { startBedrockHarness } from '../support/bedrock-harness.ts';
import { STREAM_TEXT, type BedrockMock } from '../support/bedrock-mock.ts';

let harness: Harness | undefined;
let mock: BedrockMock | undefined;
afterEach(async () => {
  await harness?.close();
  await mock?.close();
  harness = mock = undefined;
});

async function startBedrock(): Promise<{ harness: Harness; mock: BedrockMock }> {
  const started = await startBedrockHarness();
  harness = started.harness;
  mock = started.mock;
  return started;
}

function lastRequest(bedrock: BedrockMock) {
  return bedrock.requests.at(-1)!;
}

describe('Bedrock provider, Anthropic client', () => {
  it('answers a message with a system prompt from Converse', async () => {
    const { harness, mock } = await startBedrock();
    const message = await harness.anthropic.messages.create({
      model: 'haiku-bedrock',
      max_tokens: 64,
      system: 'Answer briefly.',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from Bedrock.' });
    expect(message.usage).toMatchObject({ input_tokens: 25, output_tokens: 6 });
    expect(lastRequest(mock).json).toMatchObject({ system: [{ text: 'Answer briefly.' }] });
    expect(JSON.stringify(lastRequest(mock).headers)).not.toContain('sk-ant-client-key');
  });

  it('streams a tool call from ConverseStream as Messages events', async () => {
    const { harness, mock } = await startBedrock();
    mock.setHandler(() => ({
      kind: 'stream',
      events: [
        { messageStart: { role: 'assistant' } },
        {
          contentBlockStart: {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: 'tooluse_s1', name: 'get_weather' } },
          },
        },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":' } } } },
        { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '"Lyon"}' } } } },
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: 'tool_use' } },
        {
          metadata: {
            usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52 },
            metrics: { latencyMs: 300 },
          },
        },
      ],
    }));
    const stream = harness.anthropic.messages.stream({
      model: 'haiku-bedrock',
      max_tokens: 64,
      system: 'Use tools.',
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      ],
      messages: [{ role: 'user', content: 'Weather in Lyon?' }],
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({
      type: 'tool_use',
      id: 'tooluse_s1',
      name: 'get_weather',
      input: { city: 'Lyon' },
    });
    expect(message.usage).toMatchObject({ input_tokens: 40, output_tokens: 12 });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ streamed: true, inputTokens: 40, outputTokens: 12, errorClass: null });
  });

  it('turns a Bedrock 429 into Anthropic’s rate_limit_error', async () => {
    const { harness, mock } = await startBedrock();
    mock.setHandler(() => ({
      kind: 'error',
      status: 429,
      type: 'ThrottlingException',
      message: 'Rate exceeded',
    }));
    const error = await harness.anthropic.messages
      .create({ model: 'haiku-bedrock', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Rate exceeded' },
    });
  });

  it('reports a mid-stream throttling exception as an error event', async () => {
    const { harness, mock } = await startBedrock();
    mock.setHandler(() => ({
      kind: 'stream',
      events: [
        STREAM_TEXT[0]!,
        STREAM_TEXT[1]!,
        { throttlingException: { message: 'Slow down mid-stream.' } },
      ],
    }));
    const stream = harness.anthropic.messages.stream({
      model: 'haiku-bedrock',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const failure = await stream.finalMessage().catch((e: unknown) => e);
    expect((failure as Error).message).toContain('Slow down mid-stream.');
  });
});
