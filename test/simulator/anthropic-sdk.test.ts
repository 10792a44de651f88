import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../proxy/simulator/server.ts';
import { anthropicClient, longText, TEST_SPEED } from './helpers.ts';

let simulator: RunningSimulator;
let client: Anthropic;

beforeAll(async () => {
  // The SDK warns on every call to a model it knows is nearing end-of-life; that is noise here.
  const warn = console.warn.bind(console);
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('is deprecated')) warn(...args);
  });
  simulator = await startSimulator({ seed: 7, speed: TEST_SPEED, errorRate: 0 });
  client = anthropicClient(simulator);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await simulator.close();
});

const messages = [{ role: 'user' as const, content: 'Summarize the latest support escalation for me.' }];

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('Anthropic messages through the SDK', () => {
  it('streams the documented event sequence and the same message as non-streamed', async () => {
    const params = { model: 'claude-sonnet-4-5', max_tokens: 400, messages };
    const whole = await client.messages.create(params);
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    let text = '';
    let deltaUsage: Anthropic.MessageDeltaUsage | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') deltaUsage = event.usage;
    }
    // The SDK drops ping events; the raw wire order is checked below.
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_delta').length).toBeGreaterThan(1);
    expect(whole.type).toBe('message');
    expect(whole.model).toBe('claude-sonnet-4-5');
    expect(whole.id).toMatch(/^msg_01/);
    expect(textOf(whole)).toBe(text);
    expect(whole.stop_reason).toBe('end_turn');
    expect(deltaUsage?.output_tokens).toBe(whole.usage.output_tokens);
    expect(whole.usage.input_tokens).toBeGreaterThan(5);
    expect(whole.usage.cache_read_input_tokens).toBe(0);
  });

  it('sends ping right after the first content_block_start on the wire', async () => {
    const response = await fetch(`${simulator.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 50, messages, stream: true }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('request-id')).toMatch(/^req_011C/);
    const names = [...(await response.text()).matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);
    expect(names.slice(0, 4)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
    ]);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('accumulates with the SDK stream helper', async () => {
    const params = { model: 'claude-haiku-4-5', max_tokens: 300, messages };
    const whole = await client.messages.create(params);
    const final = await client.messages.stream(params).finalMessage();
    expect(textOf(final)).toBe(textOf(whole));
    expect(final.usage.output_tokens).toBe(whole.usage.output_tokens);
    expect(final.usage.input_tokens).toBe(whole.usage.input_tokens);
  });

  it('stops at max_tokens', async () => {
    const reply = await client.messages.create({
      model: 'claude-opus-4-5',
      max_tokens: 20,
      messages: [{ role: 'user', content: longText(40, 'write a long essay') }],
    });
    expect(reply.usage.output_tokens).toBeLessThanOrEqual(20);
    expect(['end_turn', 'max_tokens']).toContain(reply.stop_reason);
  });

  it('writes then reads the prompt cache at a cache_control breakpoint', async () => {
    const system = [
      {
        type: 'text' as const,
        text: longText(2000, 'handbook'),
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const params = { model: 'claude-sonnet-4-5', max_tokens: 100, system, messages };
    const first = await client.messages.create(params);
    const second = await client.messages.create(params);
    const total = await client.messages.countTokens({ model: 'claude-sonnet-4-5', system, messages });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(1024);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(
      first.usage.cache_creation_input_tokens,
    );
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    for (const reply of [first, second]) {
      const usage = reply.usage;
      const whole =
        usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
      expect(whole).toBe(total.input_tokens);
      expect(usage.input_tokens).toBeLessThan(50);
    }
  });

  it('reports 1-hour cache writes and respects the model minimum', async () => {
    const hourly = [
      {
        type: 'text' as const,
        text: longText(1500, 'hourly'),
        cache_control: { type: 'ephemeral' as const, ttl: '1h' as const },
      },
    ];
    const sonnet = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 50,
      system: hourly,
      messages,
    });
    expect(sonnet.usage.cache_creation?.ephemeral_1h_input_tokens).toBeGreaterThan(1024);
    expect(sonnet.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(0);
    // Haiku 4.5 caches nothing shorter than 4096 tokens.
    const haiku = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 50,
      system: hourly,
      messages,
    });
    expect(haiku.usage.cache_creation_input_tokens).toBe(0);
    expect(haiku.usage.cache_read_input_tokens).toBe(0);
  });

  it('streams cache usage in message_start and cumulative usage in message_delta', async () => {
    const system = [
      {
        type: 'text' as const,
        text: longText(1800, 'stream-cache'),
        cache_control: { type: 'ephemeral' as const },
      },
    ];
    const params = { model: 'claude-sonnet-4-5', max_tokens: 200, system, messages, stream: true as const };
    await (await client.messages.create(params)).controller.abort();
    const stream = await client.messages.create(params);
    let start: Anthropic.Usage | undefined;
    let delta: Anthropic.MessageDeltaUsage | undefined;
    for await (const event of stream) {
      if (event.type === 'message_start') start = event.message.usage;
      if (event.type === 'message_delta') delta = event.usage;
    }
    expect(start?.cache_read_input_tokens).toBeGreaterThan(1024);
    expect(delta?.cache_read_input_tokens).toBe(start?.cache_read_input_tokens);
    expect(delta?.output_tokens).toBeGreaterThan(start?.output_tokens ?? 0);
  });

  it('uses tools, streamed and not', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'get_order',
        description: 'Fetch an order',
        input_schema: {
          type: 'object',
          properties: { order_id: { type: 'string' }, urgent: { type: 'boolean' } },
        },
      },
    ];
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 500,
      messages,
      tools,
      tool_choice: { type: 'any' as const },
    };
    const whole = await client.messages.create(params);
    const final = await client.messages.stream(params).finalMessage();
    for (const reply of [whole, final]) {
      expect(reply.stop_reason).toBe('tool_use');
      const call = reply.content.find((block) => block.type === 'tool_use');
      expect(call?.type === 'tool_use' && call.name).toBe('get_order');
      expect(call?.type === 'tool_use' && call.id).toMatch(/^toolu_01/);
      expect(call?.type === 'tool_use' && call.input).toEqual({
        order_id: expect.any(String),
        urgent: expect.any(Boolean),
      });
    }
    expect(final.content).toEqual(
      whole.content.map((block) =>
        block.type === 'tool_use' ? { ...block, id: expect.any(String) } : block,
      ),
    );
  });

  it('lists Anthropic models when asked with anthropic-version, and 404s unknown models', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-5']);
    const error = await client.messages
      .create({ model: 'claude-2', max_tokens: 10, messages })
      .catch((e) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('retrieves one Anthropic model with its display name', async () => {
    const model = await client.models.retrieve('claude-opus-4-5');
    expect(model).toMatchObject({ type: 'model', id: 'claude-opus-4-5', display_name: 'Claude Opus 4.5' });
    expect(model.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await expect(client.models.retrieve('gpt-4o')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('rejects a request without max_tokens as Anthropic does', async () => {
    const response = await fetch(`${simulator.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-haiku-4-5', messages }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});
