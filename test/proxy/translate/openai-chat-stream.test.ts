/**
 * OpenAI chat.completion.chunk streams: fixture transcripts decode to the expected IR events,
 * re-encode to frames that decode to the same events (and match the fixture less documented
 * drops), fold to the same answer as the non-streamed response, and satisfy the `openai`
 * package's own stream accumulator.
 */
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ZERO_USAGE } from '../../../contracts/usage.ts';
import type { ChatResponse, SseFrame, StreamEvent } from '../../../proxy/translate/ir.ts';
import { openaiChatCodec } from '../../../proxy/translate/openai-chat.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/openai-chat/${name}`, import.meta.url), 'utf8')) as Json;
}

function transcript(name: string): { includeUsage: boolean; frames: SseFrame[] } {
  const { includeUsage, frames } = fixture(name) as { includeUsage: boolean; frames: unknown[] };
  return {
    includeUsage,
    frames: frames.map((f) => ({ event: null, data: typeof f === 'string' ? f : JSON.stringify(f) })),
  };
}

function decodeAll(frames: SseFrame[]): StreamEvent[] {
  const decode = openaiChatCodec.streamDecoder();
  return frames.flatMap((frame) => decode(frame));
}

function encodeAll(events: StreamEvent[], includeUsage: boolean): SseFrame[] {
  const encode = openaiChatCodec.streamEncoder({ includeUsage });
  return events.flatMap((event) => encode(event));
}

/** What a client rebuilds from the events: the non-streamed answer. */
function accumulate(events: StreamEvent[]): ChatResponse {
  const response: ChatResponse = {
    id: '',
    model: '',
    content: [],
    stopReason: 'end_turn',
    stopSequence: null,
    usage: { ...ZERO_USAGE },
    created: 0,
  };
  const blocks: ChatResponse['content'] = [];
  for (const e of events) {
    if (e.type === 'start') Object.assign(response, { id: e.id, model: e.model, created: e.created });
    if (e.type === 'text_delta') appendText(blocks, e.index, 'text', e.text);
    if (e.type === 'thinking_delta') appendText(blocks, e.index, 'thinking', e.text);
    if (e.type === 'tool_call_start')
      blocks[e.index] = { type: 'tool_call', id: e.id, name: e.name, arguments: '' };
    const block = 'index' in e ? blocks[e.index] : undefined;
    if (e.type === 'tool_call_delta' && block?.type === 'tool_call') block.arguments += e.arguments;
    if (e.type === 'usage') Object.assign(response.usage, e.usage);
    if (e.type === 'finish')
      Object.assign(response, { stopReason: e.stopReason, stopSequence: e.stopSequence });
  }
  response.content = blocks.filter(Boolean);
  return response;
}

function appendText(
  blocks: ChatResponse['content'],
  index: number,
  type: 'text' | 'thinking',
  text: string,
): void {
  const block = blocks[index];
  if (block && block.type !== 'tool_call') block.text += text;
  else blocks[index] = type === 'text' ? { type, text } : { type, text, signature: null };
}

function parsed(frame: SseFrame): unknown {
  return frame.data === '[DONE]' ? frame.data : JSON.parse(frame.data);
}

/** Fixture frames less what the IR does not keep: tier, fingerprint, refusal: null, audio and prediction counts. */
function withoutDropped(frames: SseFrame[]): unknown[] {
  return frames.map((frame) => {
    const chunk = parsed(frame);
    if (typeof chunk === 'string') return chunk;
    const c = chunk as Json;
    delete c.service_tier;
    delete c.system_fingerprint;
    if (c.choices[0]) delete c.choices[0].delta.refusal;
    if (c.usage) {
      delete c.usage.prompt_tokens_details.audio_tokens;
      c.usage.completion_tokens_details = {
        reasoning_tokens: c.usage.completion_tokens_details.reasoning_tokens,
      };
    }
    return c;
  });
}

const TEXT_USAGE = {
  inputTokens: 19,
  outputTokens: 10,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
};

describe('stream-text.json (OpenAI, include_usage)', () => {
  const { includeUsage, frames } = transcript('stream-text.json');
  const events = decodeAll(frames);

  it('decodes to the expected IR events', () => {
    const words = ['Hello', '!', ' How', ' can', ' I', ' assist', ' you', ' today', '?'];
    expect(events).toEqual([
      {
        type: 'start',
        id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
        model: 'gpt-4.1-2025-04-14',
        created: 1741569952,
      },
      ...words.map((text) => ({ type: 'text_delta', index: 0, text })),
      { type: 'block_stop', index: 0 },
      { type: 'finish', stopReason: 'end_turn', stopSequence: null },
      { type: 'usage', usage: TEXT_USAGE },
      { type: 'end' },
    ]);
  });

  it('re-encodes to the fixture, less service_tier, system_fingerprint and the extra usage details', () => {
    expect(encodeAll(events, includeUsage).map(parsed)).toEqual(withoutDropped(frames));
  });

  it('re-decodes the re-encoded frames to the same events', () => {
    expect(decodeAll(encodeAll(events, includeUsage))).toEqual(events);
  });

  it('folds to the non-streamed response', () => {
    expect(accumulate(events)).toEqual(openaiChatCodec.decodeResponse(fixture('response-text.json')));
  });
});

describe('stream-tool-calls.json (OpenAI parallel tool calls)', () => {
  const { includeUsage, frames } = transcript('stream-tool-calls.json');
  const events = decodeAll(frames);

  it('decodes to one block per call, argument deltas kept as deltas', () => {
    const args = (index: number, parts: string[]): StreamEvent[] =>
      parts.map((a) => ({ type: 'tool_call_delta', index, arguments: a }));
    expect(events).toEqual([
      {
        type: 'start',
        id: 'chatcmpl-BfWX2aBKnYxqs7X0ujeURwtKUT4oV',
        model: 'gpt-4.1-2025-04-14',
        created: 1749190680,
      },
      { type: 'tool_call_start', index: 0, id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_current_weather' },
      ...args(0, ['{"lo', 'cation', '": "Bos', 'ton, MA', '"}']),
      { type: 'block_stop', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'call_ABXkmO6kbdaXKhfQNo6PLQ3B', name: 'get_current_weather' },
      ...args(1, ['{"lo', 'cation', '": "San Francisco, CA"', ', "unit": ', '"fahrenheit"}']),
      { type: 'block_stop', index: 1 },
      { type: 'finish', stopReason: 'tool_use', stopSequence: null },
      {
        type: 'usage',
        usage: { ...TEXT_USAGE, inputTokens: 2150, outputTokens: 57, cachedInputTokens: 1920 },
      },
      { type: 'end' },
    ]);
  });

  it('re-encodes to the fixture, less the same fields', () => {
    expect(encodeAll(events, includeUsage).map(parsed)).toEqual(withoutDropped(frames));
  });

  it('re-decodes the re-encoded frames to the same events', () => {
    expect(decodeAll(encodeAll(events, includeUsage))).toEqual(events);
  });

  it('folds to the non-streamed response', () => {
    expect(accumulate(events)).toEqual(openaiChatCodec.decodeResponse(fixture('response-tool-calls.json')));
  });
});

describe('stream-deepseek-reasoning.json (reasoning_content, usage on the last choice chunk)', () => {
  const { includeUsage, frames } = transcript('stream-deepseek-reasoning.json');
  const events = decodeAll(frames);

  it('decodes reasoning_content to a thinking block before the text block', () => {
    expect(events).toEqual([
      {
        type: 'start',
        id: '0c6b4a53-8e4b-4a43-9a43-3d6d2e1f5a2c',
        model: 'deepseek-reasoner',
        created: 1738150000,
      },
      { type: 'thinking_delta', index: 0, text: 'Compare the tenths' },
      { type: 'thinking_delta', index: 0, text: ': 1 is less than 8' },
      { type: 'thinking_delta', index: 0, text: ', so 9.11 is smaller.' },
      { type: 'block_stop', index: 0 },
      { type: 'text_delta', index: 1, text: '9.11 is' },
      { type: 'text_delta', index: 1, text: ' smaller than' },
      { type: 'text_delta', index: 1, text: ' 9.8.' },
      { type: 'block_stop', index: 1 },
      { type: 'finish', stopReason: 'end_turn', stopSequence: null },
      { type: 'usage', usage: { ...TEXT_USAGE, inputTokens: 18, outputTokens: 42, reasoningTokens: 30 } },
      { type: 'end' },
    ]);
  });

  it('folds to the non-streamed response, thinking included', () => {
    expect(accumulate(events)).toEqual(
      openaiChatCodec.decodeResponse(fixture('response-deepseek-reasoning.json')),
    );
  });

  it('re-encodes without the thinking block, so the re-decoded text block is renumbered', () => {
    const withoutThinking = events
      .filter((e) => e.type !== 'thinking_delta' && !(e.type === 'block_stop' && e.index === 0))
      .map((e) => (e.type === 'text_delta' || e.type === 'block_stop' ? { ...e, index: 0 } : e));
    const encoded = encodeAll(events, includeUsage);
    expect(encoded.some((f) => f.data.includes('reasoning_content'))).toBe(false);
    expect(decodeAll(encoded)).toEqual(withoutThinking);
  });
});

/** Feeds frames to the official client as an HTTP SSE body and returns its final completion. */
async function sdkFinal(frames: SseFrame[]): Promise<OpenAI.Chat.Completions.ChatCompletion> {
  const body = frames.map((f) => `data: ${f.data}\n\n`).join('');
  const client = new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://sdk.invalid/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  });
  const stream = client.chat.completions.stream({
    model: 'gpt-4.1',
    messages: [{ role: 'user', content: 'hi' }],
    stream_options: { include_usage: true },
  });
  return stream.finalChatCompletion();
}

describe("the openai package's ChatCompletionStream accepts the encoded stream", () => {
  for (const [streamName, responseName] of [
    ['stream-text.json', 'response-text.json'],
    ['stream-tool-calls.json', 'response-tool-calls.json'],
    ['stream-deepseek-reasoning.json', 'response-deepseek-reasoning.json'],
  ] as const) {
    it(`${streamName} accumulates to ${responseName} as encodeResponse writes it`, async () => {
      const events = decodeAll(transcript(streamName).frames);
      const final = await sdkFinal(encodeAll(events, true));
      const expected = openaiChatCodec.encodeResponse(
        openaiChatCodec.decodeResponse(fixture(responseName)),
      ) as Json;
      expect(final).toMatchObject(expected);
    });
  }
});
