// AWS Bedrock through the proxy: the OpenAI SDK calls a Bedrock model; Apex translates
// to Converse / ConverseStream and calls it with the AWS SDK, which signs with SigV4 and decodes
// the binary event stream. The upstream is a local mock speaking Bedrock's real wire formats.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { Harness } from '../support/apex-harness.ts';
import { AWS_KEY, REGION, startBedrockHarness } from '../support/bedrock-harness.ts';
import { isSigV4For, STREAM_TEXT, type BedrockMock, type BedrockReply } from '../support/bedrock-mock.ts';

let harness: Harness | undefined;
let mock: BedrockMock | undefined;
afterEach(async () => {
  await harness?.close();
  await mock?.close();
  harness = mock = undefined;
});

async function startBedrock(
  provider: Record<string, unknown> = {},
): Promise<{ harness: Harness; mock: BedrockMock }> {
  const started = await startBedrockHarness(provider);
  harness = started.harness;
  mock = started.mock;
  return started;
}

const TOOL_CALL: BedrockReply = {
  kind: 'converse',
  body: {
    output: {
      message: {
        role: 'assistant',
        content: [
          { text: 'Let me look that up.' },
          { toolUse: { toolUseId: 'tooluse_w1', name: 'get_weather', input: { city: 'Paris' } } },
        ],
      },
    },
    stopReason: 'tool_use',
    usage: { inputTokens: 60, outputTokens: 20, totalTokens: 80 },
    metrics: { latencyMs: 500 },
  },
};

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function lastRequest(bedrock: BedrockMock) {
  return bedrock.requests.at(-1)!;
}

describe('Bedrock provider, OpenAI client', () => {
  it('answers from Converse, signed with SigV4, the caller’s key kept from AWS, usage priced', async () => {
    const { harness, mock } = await startBedrock();
    const completion = await harness.openai.chat.completions.create({
      model: 'haiku-bedrock',
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'Hello' },
      ],
      max_tokens: 100,
    });
    expect(completion.choices[0]!.message.content).toBe('Hello from Bedrock.');
    // Bedrock's answer names no model; the client sees the one Apex called.
    expect(completion.model).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(completion.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 6 });
    const sent = lastRequest(mock);
    expect(sent.path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(sent.json).toMatchObject({
      system: [{ text: 'Answer briefly.' }],
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      inferenceConfig: { maxTokens: 100 },
    });
    expect(isSigV4For(sent.headers.authorization, AWS_KEY, REGION)).toBe(true);
    expect(JSON.stringify(sent.headers)).not.toContain('sk-client-key');
    expect(sent.headers['x-api-key']).toBeUndefined();
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ provider: 'aws', status: 200, inputTokens: 25, outputTokens: 6 });
    expect(Number.isSafeInteger(event!.costNanos)).toBe(true);
    expect(event!.costNanos).toBeGreaterThan(0);
    expect(event!.priceSource).toBe('genai-prices');
  });

  it('streams ConverseStream as chat.completion.chunk events with usage when asked', async () => {
    const { harness, mock } = await startBedrock();
    const stream = await harness.openai.chat.completions.create({
      model: 'haiku-bedrock',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Hello from Bedrock.');
    expect(usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 6 });
    expect(lastRequest(mock).path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream');
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ streamed: true, errorClass: null, inputTokens: 25, outputTokens: 6 });
  });

  it('makes a tool call round trip: toolUse out, toolResult back', async () => {
    const { harness, mock } = await startBedrock();
    mock.setHandler(() => TOOL_CALL);
    const first = await harness.openai.chat.completions.create({
      model: 'haiku-bedrock',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ id: 'tooluse_w1', function: { name: 'get_weather' } });
    expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({
      city: 'Paris',
    });
    expect(lastRequest(mock).json).toMatchObject({
      toolConfig: {
        tools: [
          { toolSpec: { name: 'get_weather', inputSchema: { json: weatherTool.function.parameters } } },
        ],
      },
    });
    mock.setHandler(() => ({
      kind: 'converse',
      body: {
        output: { message: { role: 'assistant', content: [{ text: 'Sunny, 24 °C.' }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 90, outputTokens: 8, totalTokens: 98 },
      },
    }));
    const second = await harness.openai.chat.completions.create({
      model: 'haiku-bedrock',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"sky":"sunny","celsius":24}' },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0]!.message.content).toBe('Sunny, 24 °C.');
    const messages = (lastRequest(mock).json as { messages: unknown[] }).messages;
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      content: [
        { text: 'Let me look that up.' },
        { toolUse: { toolUseId: 'tooluse_w1', input: { city: 'Paris' } } },
      ],
    });
    expect(messages[2]).toMatchObject({
      role: 'user',
      content: [
        { toolResult: { toolUseId: 'tooluse_w1', content: [{ text: '{"sky":"sunny","celsius":24}' }] } },
      ],
    });
  });

  it('turns a Bedrock 429 ThrottlingException into OpenAI’s rate limit error', async () => {
    const { harness, mock } = await startBedrock();
    mock.setHandler(() => ({
      kind: 'error',
      status: 429,
      type: 'ThrottlingException',
      message: 'Too many requests, please wait.',
    }));
    const error = await harness.openai.chat.completions
      .create({ model: 'haiku-bedrock', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({
      message: 'Too many requests, please wait.',
      type: 'rate_limit_error',
    });
    const [event] = await harness.waitForEvents(1);
    expect(event).toMatchObject({ status: 429 });
  });

  it('turns a ValidationException into a 400 with Bedrock’s message', async () => {
    const { harness, mock } = await startBedrock();
    mock.setHandler(() => ({
      kind: 'error',
      status: 400,
      type: 'ValidationException',
      message: 'The model returned the following errors: max_tokens: 0',
    }));
    const error = await harness.openai.chat.completions
      .create({ model: 'haiku-bedrock', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain('max_tokens: 0');
  });

  it('reports an exception Bedrock sends mid-stream to the client', async () => {
    const { harness, mock } = await startBedrock();
    mock.setHandler(() => ({
      kind: 'stream',
      events: [
        STREAM_TEXT[0]!,
        STREAM_TEXT[1]!,
        {
          modelStreamErrorException: {
            message: 'Model stream failed.',
            originalStatusCode: 500,
            originalMessage: 'boom',
          },
        },
      ],
    }));
    const stream = await harness.openai.chat.completions.create({
      model: 'haiku-bedrock',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('Hello ');
    expect((failure as Error).message).toContain('Model stream failed.');
    const [event] = await harness.waitForEvents(1);
    expect(event!.errorClass).toBe('upstream_stream_error_424');
  });
});
