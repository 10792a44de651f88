import { describe, expect, it } from 'vitest';
import { geminiCodec } from '../../../proxy/translate/gemini.ts';
import type { SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';

function decodeAll(input: SseFrame[]): StreamEvent[] {
  const decode = geminiCodec.streamDecoder();
  return input.flatMap((frame) => decode(frame));
}

function encodeAll(events: StreamEvent[]): SseFrame[] {
  const encode = geminiCodec.streamEncoder();
  return events.flatMap((event) => encode(event));
}

function thinkingOf(events: StreamEvent[]): { text: string; signatures: string[]; stop: string | null } {
  const out = { text: '', signatures: [] as string[], stop: null as string | null };
  for (const event of events) {
    if (event.type === 'thinking_delta') out.text += event.text;
    if (event.type === 'thinking_signature') out.signatures.push(event.signature);
    if (event.type === 'finish') out.stop = event.stopReason;
  }
  return out;
}

const start: StreamEvent = { type: 'start', id: 'r1', model: 'm', created: 1 };

function bodies(events: StreamEvent[]): Array<Record<string, unknown>> {
  return encodeAll(events).map((frame) => JSON.parse(frame.data) as Record<string, unknown>);
}

describe('gemini stream encoding from other sources', () => {
  it('waits for end so usage sent after the finish (OpenAI) still reaches the last chunk', () => {
    const out = bodies([
      start,
      { type: 'text_delta', index: 0, text: 'Hi' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'max_tokens', stopSequence: null },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } },
      { type: 'end' },
      { type: 'text_delta', index: 1, text: 'ignored after end' },
    ]);
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({
      candidates: [{ finishReason: 'MAX_TOKENS' }],
      usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
    });
  });

  it('gathers split arguments, keeps foreign ids, and signs Anthropic thinking on a thought part', () => {
    const events: StreamEvent[] = [
      start,
      { type: 'thinking_delta', index: 0, text: 'Plan.' },
      { type: 'thinking_signature', index: 0, signature: 'EqQBCkYIBx' },
      { type: 'block_stop', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'toolu_01', name: 'f' },
      { type: 'tool_call_delta', index: 1, arguments: '{"a":' },
      { type: 'tool_call_delta', index: 1, arguments: '1}' },
      { type: 'block_stop', index: 1 },
      { type: 'tool_call_start', index: 2, id: 'call_abc', name: 'g' },
      { type: 'tool_call_delta', index: 2, arguments: '{"cut' },
      { type: 'block_stop', index: 2 },
      { type: 'finish', stopReason: 'tool_use', stopSequence: null },
      { type: 'end' },
    ];
    const out = bodies(events);
    expect(
      out.map((b) => (b.candidates as Array<{ content?: { parts: unknown[] } }>)[0]?.content?.parts),
    ).toEqual([
      [{ text: 'Plan.', thought: true }],
      [{ text: '', thought: true, thoughtSignature: 'EqQBCkYIBx' }],
      [{ functionCall: { id: 'toolu_01', name: 'f', args: { a: 1 } } }],
      [{ functionCall: { id: 'call_abc', name: 'g', args: {} } }],
    ]);
    const back = decodeAll(encodeAll(events));
    expect(thinkingOf(back)).toEqual({ text: 'Plan.', signatures: ['EqQBCkYIBx'], stop: 'tool_use' });
  });

  it('ends without a finish reason when none came, and without usage when none came', () => {
    const out = bodies([
      start,
      { type: 'thinking_delta', index: 0, text: '' },
      { type: 'text_delta', index: 1, text: '' },
      { type: 'text_delta', index: 1, text: 'x' },
      { type: 'end' },
    ]);
    expect(out).toHaveLength(2);
    expect(out[1]).toEqual({ candidates: [{ index: 0 }], modelVersion: 'm', responseId: 'r1' });
  });

  it('sends an error as the API error body and stops', () => {
    const out = bodies([start, { type: 'error', status: 429, message: 'slow down' }, { type: 'end' }]);
    expect(out).toEqual([{ error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } }]);
    const unknown = bodies([{ type: 'error', status: 418, message: 'teapot' }]);
    expect(unknown).toEqual([{ error: { code: 418, message: 'teapot' } }]);
  });
});

describe('gemini stream decoding edges', () => {
  const data = (body: unknown): SseFrame => ({ event: null, data: JSON.stringify(body) });

  it('turns an error chunk into an error event and ignores what follows', () => {
    const decode = geminiCodec.streamDecoder();
    expect(decode(data({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }))).toEqual([
      { type: 'error', status: 503, message: 'overloaded' },
    ]);
    expect(decode(data({ candidates: [{ content: { parts: [{ text: 'x' }] } }] }))).toEqual([]);
    expect(geminiCodec.streamDecoder()(data({ error: {} }))).toEqual([
      { type: 'error', status: 500, message: 'Gemini stream error' },
    ]);
  });

  it('reports an unreadable chunk and skips empty frames and [DONE]', () => {
    const decode = geminiCodec.streamDecoder();
    expect(decode({ event: null, data: '' })).toEqual([]);
    expect(decode({ event: null, data: '[DONE]' })).toEqual([]);
    expect(decode({ event: null, data: '{not json' })).toEqual([
      { type: 'error', status: 502, message: 'malformed Gemini stream chunk' },
    ]);
  });

  it('ends a stream whose prompt was blocked', () => {
    const events = decodeAll([data({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } })]);
    expect(events.map((e) => e.type)).toEqual(['start', 'finish', 'end']);
    expect(events[1]).toMatchObject({ stopReason: 'content_filter' });
  });

  it('opens a new block when text and thought alternate, and skips unnamed calls and empty parts', () => {
    const events = decodeAll([
      data({
        candidates: [
          {
            content: {
              parts: [
                { text: 'a' },
                { text: '', thought: true },
                { text: 'b', thought: true },
                { text: '', thought: true, thoughtSignature: 's1' },
                { functionCall: { args: {} } },
                { functionCall: { name: 'f', id: 'fc9', args: 'bad' } },
                { inlineData: { mimeType: 'image/png', data: 'x' } },
                'junk',
              ],
            },
            finishReason: 'STOP',
          },
        ],
      }),
    ]);
    expect(events.slice(1)).toEqual([
      { type: 'text_delta', index: 0, text: 'a' },
      { type: 'block_stop', index: 0 },
      { type: 'thinking_delta', index: 1, text: 'b' },
      { type: 'thinking_signature', index: 1, signature: 's1' },
      { type: 'block_stop', index: 1 },
      { type: 'tool_call_start', index: 2, id: 'fc9', name: 'f' },
      { type: 'tool_call_delta', index: 2, arguments: '{}' },
      { type: 'block_stop', index: 2 },
      { type: 'finish', stopReason: 'tool_use', stopSequence: null },
      { type: 'end' },
    ]);
  });
});
