import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import { encodeStream, parsedFrames, sseText } from './anthropic-helpers.ts';

function sdkStream(frames: SseFrame[]) {
  const client = new Anthropic({
    apiKey: 'test-key',
    maxRetries: 0,
    fetch: async () =>
      new Response(sseText(frames), { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages.stream({ model: 'm', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
}

/** The order an OpenAI upstream produces: no usage until after the finish reason. */
const OPENAI_ORDER: StreamEvent[] = [
  { type: 'start', id: 'chatcmpl-9', model: 'gpt-4o', created: 1_700_000_000 },
  { type: 'text_delta', index: 0, text: 'Let me ' },
  { type: 'text_delta', index: 0, text: 'check.' },
  { type: 'tool_call_start', index: 1, id: 'call_1', name: 'get_weather' },
  { type: 'tool_call_delta', index: 1, arguments: '{"loc' },
  { type: 'tool_call_delta', index: 1, arguments: 'ation":"Paris"}' },
  { type: 'tool_call_start', index: 2, id: 'call_2', name: 'get_time' },
  { type: 'tool_call_delta', index: 2, arguments: '{}' },
  { type: 'block_stop', index: 0 },
  { type: 'block_stop', index: 1 },
  { type: 'block_stop', index: 2 },
  { type: 'finish', stopReason: 'tool_use', stopSequence: null },
  { type: 'usage', usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 40 } },
  { type: 'end' },
];

describe('anthropic stream encoder', () => {
  it('writes a stream from another provider that the SDK accumulates', async () => {
    const message = await sdkStream(encodeStream(OPENAI_ORDER)).finalMessage();
    expect(message).toMatchObject({
      id: 'chatcmpl-9',
      model: 'gpt-4o',
      role: 'assistant',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
      ],
      usage: {
        input_tokens: 60,
        cache_read_input_tokens: 40,
        cache_creation_input_tokens: 0,
        output_tokens: 20,
      },
    });
  });

  it('closes one block before the next opens and numbers wire blocks densely', () => {
    const frames = parsedFrames(encodeStream(OPENAI_ORDER)).map((f) => f.event);
    expect(frames).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('puts the final usage and the stop reason in message_delta', () => {
    const last = parsedFrames(encodeStream(OPENAI_ORDER)).at(-2);
    expect(last?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 60,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 40,
        output_tokens: 20,
      },
    });
  });

  it('sends an error event the SDK raises', async () => {
    const frames = encodeStream([
      { type: 'start', id: 'msg_1', model: 'm', created: 0 },
      { type: 'text_delta', index: 0, text: 'partial' },
      { type: 'error', status: 529, message: 'Overloaded' },
      { type: 'text_delta', index: 0, text: 'ignored after the error' },
    ]);
    expect(parsedFrames(frames).at(-1)).toEqual({
      event: 'error',
      data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    });
    await expect(sdkStream(frames).finalMessage()).rejects.toThrow(/Overloaded/);
  });

  it('ends a stream without a finish with a null stop reason, and nothing after the end', () => {
    const encode = anthropicCodec.streamEncoder({ includeUsage: true });
    const frames = [
      ...encode({ type: 'start', id: 'msg_2', model: 'm', created: 0 }),
      ...encode({ type: 'end' }),
      ...encode({ type: 'text_delta', index: 0, text: 'late' }),
    ];
    expect(parsedFrames(frames).map((f) => f.event)).toEqual([
      'message_start',
      'message_delta',
      'message_stop',
    ]);
    expect(parsedFrames(frames)[1]?.data).toMatchObject({
      delta: { stop_reason: null, stop_sequence: null },
    });
  });

  it('drops content that has no place left on the wire', () => {
    const frames = encodeStream([
      { type: 'thinking_signature', index: 0, signature: 'sig' },
      { type: 'text_delta', index: 0, text: 'wrong kind for a thinking block' },
      { type: 'text_delta', index: 1, text: '' },
      { type: 'tool_call_delta', index: 0, arguments: 'late: block 0 is closed' },
      { type: 'thinking_delta', index: 1, text: 'wrong kind for a text block' },
      { type: 'block_stop', index: 7 },
      { type: 'usage', usage: { outputTokens: 3 } },
      { type: 'usage', usage: { inputTokens: 9 } },
      { type: 'end' },
    ]);
    expect(parsedFrames(frames).map((f) => f.data)).toEqual([
      {
        type: 'message_start',
        message: expect.objectContaining({
          id: '',
          model: '',
          usage: expect.objectContaining({ input_tokens: 0 }),
        }),
      },
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_stop', index: 1 },
      expect.objectContaining({ usage: expect.objectContaining({ input_tokens: 9, output_tokens: 3 }) }),
      { type: 'message_stop' },
    ]);
  });

  it('reports reasoning tokens as output_tokens_details', () => {
    const frames = encodeStream([
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 50, reasoningTokens: 30 } },
      { type: 'end' },
    ]);
    expect(parsedFrames(frames).at(-2)?.data).toMatchObject({
      usage: { output_tokens: 50, output_tokens_details: { thinking_tokens: 30 } },
    });
  });
});
