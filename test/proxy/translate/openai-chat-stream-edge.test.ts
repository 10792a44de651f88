/**
 * What OpenAI-compatible servers do differently in streams (usage placement, refusals, legacy
 * function_call, reasoning fields, errors mid-stream), and the encoder's choices when the IR
 * stream is unusual.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';
import { openaiChatCodec } from '../../../proxy/translate/openai-chat.ts';

type Json = Record<string, unknown>;

function chunk(delta: Json, finish: string | null = null, extra: Json = {}): SseFrame {
  const body = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', ...extra };
  return {
    event: null,
    data: JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }], ...body }),
  };
}

function decodeAll(frames: SseFrame[]): StreamEvent[] {
  const decode = openaiChatCodec.streamDecoder();
  return frames.flatMap((frame) => decode(frame));
}

const DONE: SseFrame = { event: null, data: '[DONE]' };
const START: StreamEvent = { type: 'start', id: 'c1', model: 'm', created: 1 };

describe('stream decoder', () => {
  it('reads usage from x_groq, and a repeated usage only once', () => {
    const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };
    const events = decodeAll([
      chunk({ content: 'hi' }, null, { usage }),
      chunk({}, 'stop', { x_groq: { id: 'req_1', usage } }),
      DONE,
    ]);
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(events.at(-2)).toEqual({ type: 'finish', stopReason: 'end_turn', stopSequence: null });
  });

  it('turns refusal deltas into text with stop reason refusal', () => {
    expect(
      decodeAll([
        chunk({ role: 'assistant', refusal: 'No' }),
        chunk({ refusal: '.' }),
        chunk({}, 'stop'),
        DONE,
      ]),
    ).toEqual([
      START,
      { type: 'text_delta', index: 0, text: 'No' },
      { type: 'text_delta', index: 0, text: '.' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'refusal', stopSequence: null },
      { type: 'end' },
    ]);
  });

  it("keeps vLLM's matched stop sequence and reads OpenRouter's reasoning deltas", () => {
    const events = decodeAll([chunk({ reasoning: 'think' }), chunk({ content: 'a' }), chunk({}, 'stop', {})]);
    expect(events).toContainEqual({ type: 'thinking_delta', index: 0, text: 'think' });
    const vllm = {
      event: null,
      data: JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop', stop_reason: '##' }] }),
    };
    expect(decodeAll([vllm])).toContainEqual({
      type: 'finish',
      stopReason: 'stop_sequence',
      stopSequence: '##',
    });
  });

  it('reads legacy function_call deltas and tool calls without index or id', () => {
    const events = decodeAll([
      chunk({ function_call: { name: 'f', arguments: '{"a"' } }),
      chunk({ function_call: { arguments: ':1}' } }),
      chunk({ tool_calls: [{ function: { name: 'g', arguments: '{}' } }] }),
      chunk({ content: 'after' }),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_0', name: 'f' },
      { type: 'tool_call_delta', index: 0, arguments: '{"a"' },
      { type: 'tool_call_delta', index: 0, arguments: ':1}' },
      { type: 'block_stop', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'call_1', name: 'g' },
      { type: 'tool_call_delta', index: 1, arguments: '{}' },
      { type: 'block_stop', index: 1 },
      { type: 'text_delta', index: 2, text: 'after' },
    ]);
  });

  it('ignores other choices, empty frames, a second finish and anything after [DONE]', () => {
    const other = { event: null, data: JSON.stringify({ choices: [{ index: 1, delta: { content: 'x' } }] }) };
    const events = decodeAll([
      other,
      { event: null, data: '  ' },
      chunk({}, 'length'),
      chunk({}, 'stop'),
      DONE,
      chunk({ content: 'late' }),
    ]);
    expect(events).toEqual([
      { type: 'start', id: '', model: '', created: 0 },
      { type: 'finish', stopReason: 'max_tokens', stopSequence: null },
      { type: 'end' },
    ]);
  });

  it("skips Azure's empty prompt_filter_results chunk when reading id and model", () => {
    const azure = { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [] };
    const events = decodeAll([
      { event: null, data: JSON.stringify(azure) },
      chunk({ role: 'assistant', content: '' }),
    ]);
    expect(events).toEqual([START]);
  });

  it('turns error payloads and unreadable chunks into error events', () => {
    const error = (data: unknown, event: string | null = null): StreamEvent[] =>
      decodeAll([{ event, data: typeof data === 'string' ? data : JSON.stringify(data) }]);
    expect(error({ error: { message: 'Rate limited', code: 429 } })).toEqual([
      { type: 'error', status: 429, message: 'Rate limited' },
    ]);
    expect(error({ error: { message: 'bad', type: 'invalid_request_error', code: null } })).toEqual([
      { type: 'error', status: 400, message: 'bad' },
    ]);
    expect(error({ message: 'boom' }, 'error')).toEqual([{ type: 'error', status: 500, message: 'boom' }]);
    expect(error({ error: {} })).toEqual([{ type: 'error', status: 500, message: 'upstream stream error' }]);
    expect(error('{not json')).toEqual([{ type: 'error', status: 502, message: expect.any(String) }]);
    expect(error('[1,2]')).toEqual([{ type: 'error', status: 502, message: expect.any(String) }]);
  });
});

describe('stream encoder', () => {
  const encodeAll = (events: StreamEvent[], includeUsage?: boolean): SseFrame[] => {
    const encode = openaiChatCodec.streamEncoder(includeUsage === undefined ? undefined : { includeUsage });
    return events.flatMap((event) => encode(event));
  };

  it('sends no usage chunk and no usage fields unless asked', () => {
    const frames = encodeAll([
      START,
      { type: 'text_delta', index: 0, text: 'a' },
      { type: 'usage', usage: { inputTokens: 3 } },
      { type: 'usage', usage: { outputTokens: 1 } },
      { type: 'finish', stopReason: 'max_tokens', stopSequence: null },
      { type: 'end' },
    ]);
    expect(frames.map((f) => f.data).join('')).not.toContain('usage');
    expect(frames).toHaveLength(4);
    expect(JSON.parse(frames[2]?.data ?? '')).toMatchObject({ choices: [{ finish_reason: 'length' }] });
  });

  it('merges partial usage events into the one usage chunk', () => {
    const frames = encodeAll(
      [
        START,
        { type: 'usage', usage: { inputTokens: 3 } },
        { type: 'usage', usage: { outputTokens: 1 } },
        { type: 'end' },
      ],
      true,
    );
    expect(JSON.parse(frames[0]?.data ?? '')).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 1 },
    });
    expect(frames[1]?.data).toBe('[DONE]');
  });

  it('drops thinking and block stops, ignores deltas of unknown tools, and starts without a start event', () => {
    const frames = encodeAll([
      { type: 'thinking_delta', index: 0, text: 'hm' },
      { type: 'thinking_signature', index: 0, signature: 's' },
      { type: 'block_stop', index: 0 },
      { type: 'tool_call_delta', index: 5, arguments: '{}' },
      { type: 'text_delta', index: 1, text: 'x' },
    ]);
    expect(frames.map((f) => JSON.parse(f.data).choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'x' },
    ]);
    expect(JSON.parse(frames[0]?.data ?? '')).toMatchObject({ id: '', model: '', created: 0 });
  });

  it('writes errors the way the openai package raises them', async () => {
    const frames = encodeAll([
      START,
      { type: 'text_delta', index: 0, text: 'a' },
      { type: 'error', status: 503, message: 'overloaded' },
    ]);
    expect(decodeAll(frames).at(-1)).toEqual({ type: 'error', status: 500, message: 'overloaded' });
    const body = frames.map((f) => `data: ${f.data}\n\n`).join('');
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://sdk.invalid/v1',
      maxRetries: 0,
      fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    });
    const stream = client.chat.completions.stream({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(stream.finalChatCompletion()).rejects.toThrow('overloaded');
  });
});
