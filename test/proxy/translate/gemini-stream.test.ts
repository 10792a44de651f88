import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenUsage } from '../../../contracts/usage.ts';
import { geminiCodec } from '../../../proxy/translate/gemini.ts';
import type { ChatResponse, SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/gemini/${name}`, import.meta.url), 'utf8'));
}

/** A transcript's chunks as the SSE frames `alt=sse` delivers (one `data:` per chunk, no event name). */
function frames(name: string): SseFrame[] {
  return (fixture(name) as unknown[]).map((chunk) => ({ event: null, data: JSON.stringify(chunk) }));
}

function decodeAll(input: SseFrame[]): StreamEvent[] {
  const decode = geminiCodec.streamDecoder();
  return input.flatMap((frame) => decode(frame));
}

function encodeAll(events: StreamEvent[]): SseFrame[] {
  const encode = geminiCodec.streamEncoder();
  return events.flatMap((event) => encode(event));
}

interface Accumulated {
  text: string;
  thinking: string;
  signatures: string[];
  calls: Array<{ id: string; name: string; arguments: string }>;
  usage: Partial<TokenUsage>;
  stopReason: string | null;
}

function accumulate(events: StreamEvent[]): Accumulated {
  const acc: Accumulated = { text: '', thinking: '', signatures: [], calls: [], usage: {}, stopReason: null };
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for (const event of events) {
    if (event.type === 'text_delta') acc.text += event.text;
    if (event.type === 'thinking_delta') acc.thinking += event.text;
    if (event.type === 'thinking_signature') acc.signatures.push(event.signature);
    if (event.type === 'tool_call_start')
      calls.set(event.index, { id: event.id, name: event.name, arguments: '' });
    if (event.type === 'tool_call_delta') calls.get(event.index)!.arguments += event.arguments;
    if (event.type === 'usage') acc.usage = { ...acc.usage, ...event.usage };
    if (event.type === 'finish') acc.stopReason = event.stopReason;
  }
  acc.calls = [...calls.values()];
  return acc;
}

function summarize(response: ChatResponse): Accumulated {
  const parts = response.content;
  return {
    text: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join(''),
    thinking: parts.flatMap((p) => (p.type === 'thinking' ? [p.text] : [])).join(''),
    signatures: parts.flatMap((p) => (p.type === 'thinking' && p.signature ? [p.signature] : [])),
    calls: parts.flatMap((p) =>
      p.type === 'tool_call' ? [{ id: p.id, name: p.name, arguments: p.arguments }] : [],
    ),
    usage: response.usage,
    stopReason: response.stopReason,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

const TEXT_CREATED = Math.floor(Date.parse('2026-03-10T14:54:45.066123Z') / 1000);
const TEXT_SIGNATURE = 'AY89a18iOcFus5wr5bW5xN6zZ4aUiCyhgmg6HE2YjtYDV/dwZ5oZlZHeTmiUKv34qq0=';

const textEvents: StreamEvent[] = [
  {
    type: 'start',
    id: 'tTCwacuEBMvnitYP06qsgQY',
    model: 'gemini-3.1-flash-lite-preview',
    created: TEXT_CREATED,
  },
  { type: 'text_delta', index: 0, text: 'Hello!' },
  { type: 'text_delta', index: 0, text: ' How can I help you today' },
  { type: 'text_delta', index: 0, text: '?' },
  { type: 'block_stop', index: 0 },
  { type: 'thinking_signature', index: 1, signature: TEXT_SIGNATURE },
  { type: 'block_stop', index: 1 },
  {
    type: 'usage',
    usage: {
      inputTokens: 1,
      outputTokens: 9,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    },
  },
  { type: 'finish', stopReason: 'end_turn', stopSequence: null },
  { type: 'end' },
];

const toolEvents: StreamEvent[] = [
  { type: 'start', id: 'mNs3aK6yM9ek1MkP2c2x8Qc', model: 'gemini-2.5-flash', created: TEXT_CREATED },
  { type: 'thinking_delta', index: 0, text: "**Checking the weather**\n\nThe user wants Boston's weather, " },
  { type: 'thinking_delta', index: 0, text: 'so I should call get_current_weather.' },
  { type: 'block_stop', index: 0 },
  { type: 'tool_call_start', index: 1, id: 'call_0', name: 'get_current_weather' },
  { type: 'tool_call_delta', index: 1, arguments: '{"location":"Boston, MA","unit":"celsius"}' },
  { type: 'block_stop', index: 1 },
  { type: 'thinking_signature', index: 2, signature: 'CiQBVKhc7q0yC3lJw1W+Zr7Q2WfXh0sEmw==' },
  { type: 'block_stop', index: 2 },
  {
    type: 'usage',
    usage: {
      inputTokens: 2150,
      outputTokens: 151,
      cachedInputTokens: 2048,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 128,
    },
  },
  { type: 'finish', stopReason: 'tool_use', stopSequence: null },
  { type: 'end' },
];

describe('gemini stream transcripts', () => {
  it.each([
    ['stream-text.json', 'response-text.json', textEvents],
    ['stream-tool-thinking.json', 'response-tool-thinking.json', toolEvents],
  ])(
    '%s decodes to the expected events, re-encodes to the same, and matches %s',
    (stream, response, expected) => {
      // The Gemini API sends no creation time: decoding stamps the current one.
      vi.useFakeTimers();
      vi.setSystemTime(TEXT_CREATED * 1000);
      const events = decodeAll(frames(stream));
      expect(events).toEqual(expected);
      expect(decodeAll(encodeAll(events))).toEqual(events);
      expect(accumulate(events)).toEqual(summarize(geminiCodec.decodeResponse(fixture(response))));
    },
  );

  it('encodes chunks in the shape of the API: new parts only, finish and usage on the last', () => {
    const out = encodeAll(toolEvents).map((frame) => {
      expect(frame.event).toBeNull();
      return JSON.parse(frame.data) as Record<string, unknown>;
    });
    expect(out).toEqual([
      chunk([{ text: "**Checking the weather**\n\nThe user wants Boston's weather, ", thought: true }]),
      chunk([{ text: 'so I should call get_current_weather.', thought: true }]),
      chunk([
        {
          functionCall: { name: 'get_current_weather', args: { location: 'Boston, MA', unit: 'celsius' } },
          thoughtSignature: 'CiQBVKhc7q0yC3lJw1W+Zr7Q2WfXh0sEmw==',
        },
      ]),
      {
        candidates: [{ finishReason: 'STOP', index: 0 }],
        usageMetadata: {
          promptTokenCount: 2150,
          candidatesTokenCount: 23,
          totalTokenCount: 2301,
          cachedContentTokenCount: 2048,
          thoughtsTokenCount: 128,
        },
        modelVersion: 'gemini-2.5-flash',
        responseId: 'mNs3aK6yM9ek1MkP2c2x8Qc',
      },
    ]);
  });
});

function chunk(parts: unknown[]): Record<string, unknown> {
  return {
    candidates: [{ content: { parts, role: 'model' }, index: 0 }],
    modelVersion: 'gemini-2.5-flash',
    responseId: 'mNs3aK6yM9ek1MkP2c2x8Qc',
  };
}
