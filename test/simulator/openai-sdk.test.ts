import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../proxy/simulator/server.ts';
import { longText, openaiClient, TEST_SPEED } from './helpers.ts';

let simulator: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  simulator = await startSimulator({ seed: 42, speed: TEST_SPEED, errorRate: 0 });
  client = openaiClient(simulator);
});

afterAll(() => simulator.close());

const question = [{ role: 'user' as const, content: 'Explain how our quarterly budget review works.' }];

describe('chat completions through the openai SDK', () => {
  it('streams the same text and usage as the non-streamed answer', async () => {
    const whole = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      max_tokens: 300,
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      max_tokens: 300,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(whole.object).toBe('chat.completion');
    expect(whole.model).toBe('gpt-4o');
    expect(whole.choices[0]?.message.content).toBe(text);
    expect(text.length).toBeGreaterThan(0);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const last = chunks[chunks.length - 1];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(whole.usage);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const usage = whole.usage!;
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.prompt_tokens).toBeGreaterThan(5);
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(0);
  });

  it('sends no usage chunk unless include_usage is set', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: question,
      stream: true,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks[chunks.length - 1]?.choices[0]?.finish_reason).toBe('stop');
  });

  it('reports reasoning tokens for reasoning models, inside the completion cap', async () => {
    const reply = await client.chat.completions.create({
      model: 'gpt-5',
      messages: question,
      max_completion_tokens: 4000,
      reasoning_effort: 'high',
    });
    const usage = reply.usage!;
    expect(usage.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeLessThanOrEqual(4000);
    expect(usage.completion_tokens).toBeGreaterThan(usage.completion_tokens_details!.reasoning_tokens!);
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const reply = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages: question,
      max_tokens: 3,
    });
    expect(reply.usage!.completion_tokens).toBeLessThanOrEqual(3);
    const capped = await client.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: longText(50, 'write an essay') }],
      max_tokens: 40,
    });
    expect(capped.usage!.completion_tokens).toBeLessThanOrEqual(40);
    expect(['stop', 'length']).toContain(capped.choices[0]?.finish_reason);
  });

  it('reports cached prompt tokens when a long prompt repeats', async () => {
    const messages = [
      { role: 'system' as const, content: longText(1500, 'policy') },
      { role: 'user' as const, content: 'What is the refund window?' },
    ];
    const first = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages });
    const second = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages });
    expect(first.usage!.prompt_tokens_details?.cached_tokens).toBe(0);
    const cached = second.usage!.prompt_tokens_details!.cached_tokens!;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect(cached % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(second.usage!.prompt_tokens);
    const short = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: question });
    const shortAgain = await client.chat.completions.create({ model: 'gpt-4.1-mini', messages: question });
    expect(short.usage!.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(shortAgain.usage!.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it('calls tools in both shapes, and the SDK accumulates the streamed call', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } },
        },
      },
    ];
    const params = { model: 'gpt-4o', messages: question, tools, tool_choice: 'required' as const };
    const whole = await client.chat.completions.create(params);
    const streamed = await client.chat.completions.stream(params).finalChatCompletion();
    for (const reply of [whole, streamed]) {
      const call = reply.choices[0]?.message.tool_calls?.[0];
      expect(reply.choices[0]?.finish_reason).toBe('tool_calls');
      expect(call?.type === 'function' && call.function.name).toBe('get_weather');
      const args = call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined;
      expect(typeof args.city).toBe('string');
      expect(Number.isInteger(args.days)).toBe(true);
    }
  });
});

describe('other OpenAI endpoints through the SDK', () => {
  it('serves legacy completions, streamed and not, with the same text', async () => {
    const whole = await client.completions.create({
      model: 'gpt-4o-mini',
      prompt: 'Once upon a time',
      max_tokens: 50,
    });
    const stream = await client.completions.create({
      model: 'gpt-4o-mini',
      prompt: 'Once upon a time',
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(whole.object).toBe('text_completion');
    expect(whole.choices[0]?.text).toBe(text);
    expect(usage).toEqual(whole.usage);
  });

  it('returns unit-length embeddings, base64 or float, at the requested size', async () => {
    const reply = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['first passage', 'second'],
    });
    expect(reply.data).toHaveLength(2);
    const vector = reply.data[0]!.embedding;
    expect(vector).toHaveLength(1536);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 3);
    expect(reply.usage.prompt_tokens).toBe(reply.usage.total_tokens);
    const small = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'first passage',
      dimensions: 256,
      encoding_format: 'float',
    });
    expect(small.data[0]!.embedding).toHaveLength(256);
  });

  it('serves the Responses API, streamed events matching the final response', async () => {
    const params = { model: 'gpt-5-mini', input: 'Draft a short status update.', max_output_tokens: 3000 };
    const whole = await client.responses.create(params);
    const stream = await client.responses.create({ ...params, stream: true });
    let text = '';
    const types: string[] = [];
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(whole.status).toBe('completed');
    expect(whole.output_text).toBe(text);
    expect(types[0]).toBe('response.created');
    expect(types[types.length - 1]).toBe('response.completed');
    expect(completed?.usage).toEqual(whole.usage);
    expect(whole.usage!.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(whole.usage!.total_tokens).toBe(whole.usage!.input_tokens + whole.usage!.output_tokens);
  });

  it('returns function calls from the Responses API', async () => {
    const reply = await client.responses.create({
      model: 'gpt-4.1',
      input: 'Look up order 42',
      tools: [
        {
          type: 'function',
          name: 'lookup_order',
          strict: false,
          parameters: { type: 'object', properties: { id: { type: 'integer' } } },
        },
      ],
      tool_choice: 'required',
    });
    const call = reply.output.find((item) => item.type === 'function_call');
    expect(call?.type === 'function_call' && call.name).toBe('lookup_order');
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toHaveProperty('id');
  });

  it('lists its OpenAI models and rejects unknown ones in OpenAI format', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-5', 'o4-mini', 'text-embedding-3-small']));
    expect(ids.some((id) => id.startsWith('claude'))).toBe(false);
    const error = await client.chat.completions
      .create({ model: 'gpt-9', messages: question })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
  });

  it('retrieves one model, or 404s in OpenAI format', async () => {
    expect(await client.models.retrieve('gpt-4.1')).toMatchObject({
      id: 'gpt-4.1',
      object: 'model',
      owned_by: 'system',
    });
    await expect(client.models.retrieve('claude-opus-4-5')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('accepts dated snapshots and echoes the requested name', async () => {
    const reply = await client.chat.completions.create({
      model: 'gpt-4o-2024-08-06',
      messages: question,
      max_tokens: 5,
    });
    expect(reply.model).toBe('gpt-4o-2024-08-06');
  });
});
