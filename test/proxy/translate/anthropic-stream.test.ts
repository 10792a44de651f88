import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../../../contracts/usage.ts';
import type { TokenUsage } from '../../../contracts/usage.ts';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import type { ChatResponse, SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';
import {
  decodeStream,
  encodeStream,
  parsedFrames,
  pinCreated,
  sseText,
  streamFixture,
  toFrames,
  without,
} from './anthropic-helpers.ts';

const STREAMS = ['stream-text.json', 'stream-tool-use.json', 'stream-thinking.json'];

/** The IR answer a stream adds up to, built the way a client accumulates deltas. */
function accumulate(events: StreamEvent[]) {
  const blocks = new Map<
    number,
    { kind: string; text: string; signature?: string; id?: string; name?: string }
  >();
  let usage: TokenUsage = { ...ZERO_USAGE };
  let finish: StreamEvent | undefined;
  for (const event of events) {
    if (event.type === 'usage') usage = { ...usage, ...event.usage };
    if (event.type === 'finish') finish = event;
    if (event.type === 'tool_call_start')
      blocks.set(event.index, { kind: 'tool_call', text: '', id: event.id, name: event.name });
    if (event.type === 'text_delta' || event.type === 'thinking_delta' || event.type === 'tool_call_delta') {
      const kind =
        event.type === 'text_delta' ? 'text' : event.type === 'thinking_delta' ? 'thinking' : 'tool_call';
      const block = blocks.get(event.index) ?? { kind, text: '' };
      block.text += event.type === 'tool_call_delta' ? event.arguments : event.text;
      blocks.set(event.index, block);
    }
    if (event.type === 'thinking_signature') blocks.get(event.index)!.signature = event.signature;
  }
  return { blocks: [...blocks.values()], usage, finish };
}

function comparable(response: ChatResponse) {
  return response.content.map((part) => {
    if (part.type === 'tool_call')
      return { kind: 'tool_call', id: part.id, name: part.name, input: JSON.parse(part.arguments) };
    if (part.type === 'thinking') return { kind: 'thinking', text: part.text, signature: part.signature };
    return { kind: 'text', text: part.text };
  });
}

async function sdkFinalMessage(frames: SseFrame[]) {
  const client = new Anthropic({
    apiKey: 'test-key',
    maxRetries: 0,
    fetch: async () =>
      new Response(sseText(frames), { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  const stream = client.messages.stream({
    model: 'm',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'hi' }],
  });
  return stream.finalMessage();
}

describe('anthropic stream decoder', () => {
  it('turns the documented text stream into IR events', () => {
    const events = pinCreated(decodeStream(toFrames(streamFixture('stream-text.json'))));
    const startUsage = { ...ZERO_USAGE, inputTokens: 25, outputTokens: 1 };
    expect(events).toEqual([
      {
        type: 'start',
        id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
        model: 'claude-sonnet-4-5-20250929',
        created: 0,
      },
      { type: 'usage', usage: startUsage },
      { type: 'text_delta', index: 0, text: '' },
      { type: 'text_delta', index: 0, text: 'Hello' },
      { type: 'text_delta', index: 0, text: '!' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'end_turn', stopSequence: null },
      { type: 'usage', usage: { ...startUsage, outputTokens: 15 } },
      { type: 'end' },
    ]);
  });

  it('keeps tool argument deltas as deltas and thinking signatures', () => {
    const tool = decodeStream(toFrames(streamFixture('stream-tool-use.json')));
    expect(tool).toContainEqual({
      type: 'tool_call_start',
      index: 1,
      id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
      name: 'get_weather',
    });
    expect(tool.filter((e) => e.type === 'tool_call_delta')).toHaveLength(9);
    const thinking = decodeStream(toFrames(streamFixture('stream-thinking.json')));
    expect(thinking).toContainEqual({
      type: 'thinking_signature',
      index: 0,
      signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
    });
  });

  it('turns an error event into an IR error with the HTTP status of its type', () => {
    const events = decodeStream(toFrames(streamFixture('stream-error.json')));
    expect(events.at(-1)).toEqual({ type: 'error', status: 529, message: 'Overloaded' });
    expect(events.map((e) => e.type)).toEqual(['start', 'usage', 'error']);
  });

  it('drops blocks the IR cannot carry and renumbers the rest densely', () => {
    const frames: SseFrame[] = [
      {
        event: 'content_block_start',
        data: '{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"x"}}',
      },
      { event: 'content_block_stop', data: '{"type":"content_block_stop","index":0}' },
      {
        event: 'content_block_start',
        data: '{"type":"content_block_start","index":1,"content_block":{"type":"server_tool_use","id":"s","name":"web_search","input":{}}}',
      },
      {
        event: 'content_block_delta',
        data: '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}',
      },
      {
        event: 'content_block_start',
        data: '{"type":"content_block_start","index":2,"content_block":{"type":"text","text":"Hi"}}',
      },
      {
        event: 'content_block_delta',
        data: '{"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{}}}',
      },
      {
        event: 'content_block_start',
        data: '{"type":"content_block_start","index":3,"content_block":{"type":"tool_use","id":"t","name":"f","input":{"a":1}}}',
      },
      {
        event: 'content_block_start',
        data: '{"type":"content_block_start","index":4,"content_block":{"type":"thinking","thinking":"","signature":"sig"}}',
      },
    ];
    expect(decodeStream(frames)).toEqual([
      { type: 'text_delta', index: 0, text: 'Hi' },
      { type: 'tool_call_start', index: 1, id: 't', name: 'f' },
      { type: 'tool_call_delta', index: 1, arguments: '{"a":1}' },
      { type: 'thinking_delta', index: 2, text: '' },
      { type: 'thinking_signature', index: 2, signature: 'sig' },
    ]);
  });

  it('ignores garbage frames, pings and unknown events', () => {
    const frames: SseFrame[] = [
      { event: 'ping', data: '{"type":"ping"}' },
      { event: null, data: 'not json' },
      { event: 'mystery', data: '{"x":1}' },
      {
        event: 'content_block_delta',
        data: '{"type":"content_block_delta","index":9,"delta":{"type":"text_delta","text":"x"}}',
      },
      { event: 'message_start', data: '{"type":"message_start"}' },
      { event: 'message_delta', data: '{"type":"message_delta"}' },
      { event: 'error', data: '{"type":"error"}' },
    ];
    expect(pinCreated(decodeStream(frames))).toEqual([
      { type: 'start', id: '', model: '', created: 0 },
      { type: 'error', status: 500, message: 'stream error' },
    ]);
  });
});

describe.each(STREAMS)('anthropic stream %s', (name) => {
  const stream = streamFixture(name);
  const events = decodeStream(toFrames(stream));

  it('re-encodes to the same frames, less pings and the serving tier', () => {
    const expected = stream.frames.filter((f) => f.event !== 'ping').map((f) => without(f, ['service_tier']));
    expect(parsedFrames(encodeStream(events))).toEqual(expected);
  });

  it('re-encodes to frames that decode to the same events', () => {
    expect(pinCreated(decodeStream(encodeStream(events)))).toEqual(pinCreated(events));
  });

  it('adds up to the non-streamed response', () => {
    const response = anthropicCodec.decodeResponse(stream.response);
    const total = accumulate(events);
    const blocks = total.blocks.map((b) =>
      b.kind === 'tool_call'
        ? { kind: b.kind, id: b.id, name: b.name, input: JSON.parse(b.text) }
        : b.kind === 'thinking'
          ? { kind: b.kind, text: b.text, signature: b.signature ?? null }
          : { kind: b.kind, text: b.text },
    );
    expect(blocks).toEqual(comparable(response));
    expect(total.usage).toEqual(response.usage);
    expect(total.finish).toEqual({
      type: 'finish',
      stopReason: response.stopReason,
      stopSequence: response.stopSequence,
    });
  });

  it("is accumulated by the SDK's MessageStream into the non-streamed message", async () => {
    const message = await sdkFinalMessage(encodeStream(events));
    // parsed_output is the SDK's own addition (structured-output parsing), not a wire field.
    expect(without(JSON.parse(JSON.stringify(message)), ['parsed_output'])).toEqual(
      without(stream.response, ['service_tier']),
    );
  });
});
