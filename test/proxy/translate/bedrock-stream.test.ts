import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bedrockCodec, type BedrockStreamEvent } from '../../../proxy/translate/bedrock.ts';
import type { StreamEvent } from '../../../proxy/translate/ir.ts';
import type { TokenUsage } from '../../../contracts/usage.ts';

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/bedrock/${name}`, import.meta.url), 'utf8')) as T;
}

function decodeAll(frames: unknown[]): StreamEvent[] {
  const decode = bedrockCodec.streamDecoder();
  return frames.flatMap((frame) => decode(frame as BedrockStreamEvent));
}

function encodeAll(events: StreamEvent[]): BedrockStreamEvent[] {
  const encode = bedrockCodec.streamEncoder();
  return events.flatMap((event) => encode(event));
}

/** The start event's id and time are generated per decode; everything else must match. */
function stable(events: StreamEvent[]): StreamEvent[] {
  return events.map((e) => (e.type === 'start' ? { ...e, id: 'ID', created: 0 } : e));
}

/** latencyMs is the proxy's own measure when it encodes, so it is the one field that may differ. */
function withoutLatency(frames: unknown[]): unknown[] {
  return frames.map((f) => {
    const meta = (f as { metadata?: Record<string, unknown> }).metadata;
    return meta ? { metadata: { ...meta, metrics: { latencyMs: 'any' } } } : f;
  });
}

interface Accumulated {
  text: string;
  thinking: string;
  signature: string | null;
  tools: Array<{ id: string; name: string; arguments: string }>;
  usage: Partial<TokenUsage>;
  stopReason: string | null;
  stopSequence: string | null;
}

function accumulate(events: StreamEvent[]): Accumulated {
  const acc: Accumulated = {
    text: '',
    thinking: '',
    signature: null,
    tools: [],
    usage: {},
    stopReason: null,
    stopSequence: null,
  };
  const byIndex = new Map<number, { id: string; name: string; arguments: string }>();
  for (const e of events) {
    if (e.type === 'text_delta') acc.text += e.text;
    if (e.type === 'thinking_delta') acc.thinking += e.text;
    if (e.type === 'thinking_signature') acc.signature = e.signature;
    if (e.type === 'tool_call_start') byIndex.set(e.index, { id: e.id, name: e.name, arguments: '' });
    if (e.type === 'tool_call_delta') byIndex.get(e.index)!.arguments += e.arguments;
    if (e.type === 'usage') acc.usage = { ...acc.usage, ...e.usage };
    if (e.type === 'finish') [acc.stopReason, acc.stopSequence] = [e.stopReason, e.stopSequence];
  }
  acc.tools = [...byIndex.values()];
  return acc;
}

const toolFrames = load<unknown[]>('stream-tool.json');
const textFrames = load<unknown[]>('stream-text.json');

describe('bedrock stream decoding', () => {
  it('turns the tool-use transcript into IR events in order', () => {
    const events = decodeAll(toolFrames);
    expect(stable(events)).toEqual([
      { type: 'start', id: 'ID', model: '', created: 0 },
      { type: 'thinking_delta', index: 0, text: 'The user wants the most popular song on WZPZ.' },
      { type: 'thinking_delta', index: 0, text: ' The top_song tool takes a call sign.' },
      { type: 'thinking_signature', index: 0, signature: 'ErcBCkgIAhABGAIiQM3nWZPZsig0001' },
      { type: 'block_stop', index: 0 },
      { type: 'text_delta', index: 1, text: "I'll look up" },
      { type: 'text_delta', index: 1, text: ' the most popular song on WZPZ.' },
      { type: 'block_stop', index: 1 },
      { type: 'tool_call_start', index: 2, id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song' },
      { type: 'tool_call_delta', index: 2, arguments: '' },
      { type: 'tool_call_delta', index: 2, arguments: '{"sign": ' },
      { type: 'tool_call_delta', index: 2, arguments: '"WZPZ"}' },
      { type: 'block_stop', index: 2 },
      { type: 'finish', stopReason: 'tool_use', stopSequence: null },
      {
        type: 'usage',
        usage: {
          inputTokens: 1522,
          outputTokens: 112,
          cachedInputTokens: 1500,
          cacheWriteTokens: 0,
          cacheWrite1hTokens: 0,
          reasoningTokens: 0,
        },
      },
      { type: 'end' },
    ]);
    expect(events[0]).toMatchObject({ id: expect.stringMatching(/^bedrock-/) });
  });

  it.each([
    ['stream-tool.json', 'response-tool.json'],
    ['stream-text.json', 'response-text.json'],
  ])('%s accumulates to what %s decodes to', (streamName, responseName) => {
    const acc = accumulate(decodeAll(load<unknown[]>(streamName)));
    const response = bedrockCodec.decodeResponse(load(responseName));
    const text = response.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');
    const thinking = response.content.find((p) => p.type === 'thinking');
    const tools = response.content.flatMap((p) => (p.type === 'tool_call' ? [p] : []));
    expect(acc.text).toBe(text);
    expect(acc.thinking).toBe(thinking?.type === 'thinking' ? thinking.text : '');
    expect(acc.signature).toBe(thinking?.type === 'thinking' ? thinking.signature : null);
    expect(acc.tools.map((t) => ({ ...t, arguments: JSON.parse(t.arguments) }))).toEqual(
      tools.map((t) => ({ id: t.id, name: t.name, arguments: JSON.parse(t.arguments) })),
    );
    expect(acc.usage).toEqual(response.usage);
    expect(acc.stopReason).toBe(response.stopReason);
    expect(acc.stopSequence).toBe(response.stopSequence);
  });

  it('reports exceptions as IR errors with the reference HTTP status', () => {
    const events = decodeAll(load<unknown[]>('stream-error.json'));
    expect(stable(events)).toEqual([
      { type: 'start', id: 'ID', model: '', created: 0 },
      { type: 'text_delta', index: 0, text: 'Elemental' },
      {
        type: 'error',
        status: 424,
        message: 'Model stream error: the model produced an invalid token sequence.',
      },
    ]);
    const statuses = [
      'throttlingException',
      'validationException',
      'serviceUnavailableException',
      'internalServerException',
    ].map((name) => decodeAll([{ [name]: {} }])[0]);
    expect(statuses).toEqual([
      { type: 'error', status: 429, message: 'throttlingException' },
      { type: 'error', status: 400, message: 'validationException' },
      { type: 'error', status: 503, message: 'serviceUnavailableException' },
      { type: 'error', status: 500, message: 'internalServerException' },
    ]);
  });

  it('copes with a missing messageStart, unknown blocks, open blocks and garbage frames', () => {
    const events = decodeAll([
      null,
      'x',
      { somethingNew: {} },
      { contentBlockDelta: { contentBlockIndex: 3, delta: { text: 'hi' } } },
      { contentBlockStart: { contentBlockIndex: 3, start: { toolUse: { toolUseId: 'dup', name: 'f' } } } },
      { contentBlockDelta: { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } } },
      { contentBlockDelta: { contentBlockIndex: 5, delta: { toolUse: { input: '{}' } } } },
      {
        contentBlockDelta: { contentBlockIndex: 6, delta: { reasoningContent: { redactedContent: 'AAAA' } } },
      },
      { contentBlockDelta: { contentBlockIndex: 7, delta: { reasoningContent: { text: 'hmm' } } } },
      { contentBlockDelta: { contentBlockIndex: 7, delta: { text: 'wrong kind' } } },
      { contentBlockDelta: { contentBlockIndex: -1, delta: { text: 'bad index' } } },
      { contentBlockStart: { contentBlockIndex: 8, start: { image: {} } } },
      { contentBlockStop: { contentBlockIndex: 42 } },
      { messageStop: { stopReason: 'max_tokens' } },
      { contentBlockDelta: { contentBlockIndex: 3, delta: { text: 'after stop' } } },
      { metadata: { metrics: { latencyMs: 5 } } },
    ]);
    expect(stable(events)).toEqual([
      { type: 'start', id: 'ID', model: '', created: 0 },
      { type: 'text_delta', index: 0, text: 'hi' },
      { type: 'thinking_delta', index: 1, text: 'hmm' },
      { type: 'block_stop', index: 0 },
      { type: 'block_stop', index: 1 },
      { type: 'finish', stopReason: 'max_tokens', stopSequence: null },
      { type: 'end' },
    ]);
  });
});

describe('bedrock stream encoding', () => {
  it.each([
    ['stream-tool.json', toolFrames],
    ['stream-text.json', textFrames],
  ])('re-encodes %s to the same frames, which decode to the same events', (_name, frames) => {
    const events = decodeAll(frames);
    const encoded = encodeAll(events);
    expect(withoutLatency(encoded)).toEqual(withoutLatency(frames));
    const meta = encoded.at(-1) as { metadata: { metrics: { latencyMs: number } } };
    expect(Number.isSafeInteger(meta.metadata.metrics.latencyMs)).toBe(true);
    expect(stable(decodeAll(encoded))).toEqual(stable(events));
  });

  it('opens with messageStart, merges partial usage, closes open blocks and maps errors', () => {
    const frames = encodeAll([
      { type: 'usage', usage: { inputTokens: 900, cachedInputTokens: 800 } },
      { type: 'text_delta', index: 4, text: 'Hi' },
      { type: 'tool_call_start', index: 7, id: 'call_1', name: 'f' },
      { type: 'tool_call_delta', index: 7, arguments: '{"a":1}' },
      { type: 'usage', usage: { outputTokens: 12 } },
      { type: 'block_stop', index: 4 },
      { type: 'block_stop', index: 4 },
      { type: 'finish', stopReason: 'refusal', stopSequence: 'STOP' },
      { type: 'end' },
    ]);
    expect(withoutLatency(frames)).toEqual([
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } },
      { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'call_1', name: 'f' } } } },
      { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"a":1}' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { contentBlockStop: { contentBlockIndex: 1 } },
      {
        messageStop: {
          stopReason: 'content_filtered',
          additionalModelResponseFields: { stop_sequence: 'STOP' },
        },
      },
      {
        metadata: {
          usage: { inputTokens: 100, outputTokens: 12, totalTokens: 912, cacheReadInputTokens: 800 },
          metrics: { latencyMs: 'any' },
        },
      },
    ]);
  });

  it('sends start at once and errors as the matching exception event', () => {
    const encode = bedrockCodec.streamEncoder();
    expect(encode({ type: 'start', id: 'x', model: 'm', created: 1 })).toEqual([
      { messageStart: { role: 'assistant' } },
    ]);
    expect(encode({ type: 'start', id: 'x', model: 'm', created: 1 })).toEqual([]);
    const cases: Array<[number, string]> = [
      [429, 'throttlingException'],
      [424, 'modelStreamErrorException'],
      [503, 'serviceUnavailableException'],
      [529, 'serviceUnavailableException'],
      [400, 'validationException'],
      [413, 'validationException'],
      [500, 'internalServerException'],
      [502, 'internalServerException'],
    ];
    for (const [status, name] of cases) {
      expect(encode({ type: 'error', status, message: 'boom' })).toEqual([{ [name]: { message: 'boom' } }]);
    }
    const back = decodeAll([{ throttlingException: { message: 'slow down' } }]);
    expect(back).toEqual([{ type: 'error', status: 429, message: 'slow down' }]);
  });
});
