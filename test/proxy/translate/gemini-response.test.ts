import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { geminiCodec } from '../../../proxy/translate/gemini.ts';
import type { ChatResponse, StopReason } from '../../../proxy/translate/ir.ts';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/gemini/${name}`, import.meta.url), 'utf8'));
}

afterEach(() => {
  vi.useRealTimers();
});

/** Per-modality token details have no IR field: the one normalization these fixtures need. */
function withoutTokenDetails(wire: Record<string, unknown>): Record<string, unknown> {
  const usage = { ...(wire.usageMetadata as Record<string, unknown>) };
  delete usage.promptTokensDetails;
  return { ...wire, usageMetadata: usage };
}

describe('gemini response fixtures: wire -> IR -> wire', () => {
  it('round-trips a text answer signed on its text part', () => {
    const wire = fixture('response-text.json');
    const ir = geminiCodec.decodeResponse(wire);
    expect(ir).toMatchObject({
      id: 'tTCwacuEBMvnitYP06qsgQY',
      model: 'gemini-3.1-flash-lite-preview',
      content: [
        { type: 'text', text: 'Hello! How can I help you today?' },
        {
          type: 'thinking',
          text: '',
          signature: 'AY89a18iOcFus5wr5bW5xN6zZ4aUiCyhgmg6HE2YjtYDV/dwZ5oZlZHeTmiUKv34qq0=',
        },
      ],
      stopReason: 'end_turn',
      stopSequence: null,
      usage: { inputTokens: 1, outputTokens: 9, cachedInputTokens: 0, reasoningTokens: 0 },
    });
    const back = geminiCodec.encodeResponse(ir);
    expect(back).toEqual(withoutTokenDetails(wire));
    expect(back.usageMetadata).not.toHaveProperty('promptTokensDetails');
  });

  it('round-trips thoughts and a signed function call, with thinking and cache in usage', () => {
    const wire = fixture('response-tool-thinking.json');
    const ir = geminiCodec.decodeResponse(wire);
    expect(ir.content).toEqual([
      { type: 'thinking', text: expect.stringContaining('Checking the weather'), signature: null },
      {
        type: 'tool_call',
        id: 'call_0',
        name: 'get_current_weather',
        arguments: '{"location":"Boston, MA","unit":"celsius"}',
      },
      { type: 'thinking', text: '', signature: 'CiQBVKhc7q0yC3lJw1W+Zr7Q2WfXh0sEmw==' },
    ]);
    expect(ir.stopReason).toBe('tool_use');
    // candidatesTokenCount excludes thoughts; outputTokens includes them; the prompt includes the cache.
    expect(ir.usage).toEqual({
      inputTokens: 2150,
      outputTokens: 151,
      cachedInputTokens: 2048,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 128,
    });
    expect(geminiCodec.encodeResponse(ir)).toEqual(wire);
  });
});

const richResponse: ChatResponse = {
  id: 'resp-42',
  model: 'gemini-2.5-pro',
  content: [
    { type: 'thinking', text: 'Look up both.', signature: 'c2lnLWE=' },
    { type: 'text', text: 'Let me check.' },
    { type: 'tool_call', id: 'fc_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
    { type: 'tool_call', id: 'call_1', name: 'get_time', arguments: '{"tz":"CET"}' },
    { type: 'thinking', text: '', signature: 'c2lnLWI=' },
  ],
  stopReason: 'tool_use',
  stopSequence: null,
  usage: {
    inputTokens: 1200,
    outputTokens: 300,
    cachedInputTokens: 1000,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 200,
  },
  created: 1_750_000_000,
};

describe('gemini response: IR -> wire -> IR', () => {
  it('is the identity for a rich response (created is the time of decoding)', () => {
    vi.useFakeTimers();
    vi.setSystemTime(richResponse.created * 1000);
    const wire = geminiCodec.encodeResponse(richResponse);
    expect(wire.usageMetadata).toEqual({
      promptTokenCount: 1200,
      candidatesTokenCount: 100,
      totalTokenCount: 1500,
      cachedContentTokenCount: 1000,
      thoughtsTokenCount: 200,
    });
    expect(geminiCodec.decodeResponse(wire)).toEqual(richResponse);
  });

  it.each([
    ['end_turn', 'STOP', 'end_turn'],
    ['stop_sequence', 'STOP', 'end_turn'],
    ['max_tokens', 'MAX_TOKENS', 'max_tokens'],
    ['content_filter', 'SAFETY', 'content_filter'],
    ['refusal', 'SAFETY', 'content_filter'],
  ] as const)('sends stop reason %s as %s, read back as %s', (stop, finish, back) => {
    const response: ChatResponse = { ...richResponse, content: [], stopReason: stop as StopReason };
    const wire = geminiCodec.encodeResponse(response);
    expect(wire.candidates).toEqual([{ finishReason: finish, index: 0 }]);
    expect(geminiCodec.decodeResponse(wire).stopReason).toBe(back);
  });

  it('sends arguments that are not a JSON object as an empty object', () => {
    const wire = geminiCodec.encodeResponse({
      ...richResponse,
      content: [{ type: 'tool_call', id: 'call_0', name: 'f', arguments: '{"cut off' }],
    });
    expect(wire.candidates).toMatchObject([
      { content: { parts: [{ functionCall: { name: 'f', args: {} } }] } },
    ]);
  });
});

describe('gemini response decoding', () => {
  it.each([
    ['MAX_TOKENS', 'max_tokens'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['OTHER', 'end_turn'],
    ['MALFORMED_FUNCTION_CALL', 'end_turn'],
    [undefined, 'end_turn'],
  ])('maps finishReason %s to %s', (finishReason, stop) => {
    const body = { candidates: [{ content: { parts: [{ text: 'x' }], role: 'model' }, finishReason }] };
    expect(geminiCodec.decodeResponse(body).stopReason).toBe(stop);
  });

  it('reads a blocked prompt as a content filter stop with no content', () => {
    const ir = geminiCodec.decodeResponse({
      promptFeedback: { blockReason: 'SAFETY' },
      usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
    });
    expect(ir).toMatchObject({
      content: [],
      stopReason: 'content_filter',
      usage: { inputTokens: 8, outputTokens: 0 },
    });
    expect(ir.id).toMatch(/^gemini-/);
  });

  it('adds tool-use prompt tokens to the input, reads createTime and skips generated media', () => {
    const ir = geminiCodec.decodeResponse({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBO' } }, { text: 'Here.' }],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 10, toolUsePromptTokenCount: 90, candidatesTokenCount: 5 },
      createTime: '2025-06-01T00:00:00Z',
    });
    expect(ir.content).toEqual([{ type: 'text', text: 'Here.' }]);
    expect(ir.usage).toMatchObject({ inputTokens: 100, outputTokens: 5 });
    expect(ir.created).toBe(Date.parse('2025-06-01T00:00:00Z') / 1000);
    expect(ir.model).toBe('');
  });

  it('gives a candidate without content or usage an empty answer and zero usage', () => {
    const ir = geminiCodec.decodeResponse({ candidates: [{ finishReason: 'STOP' }] });
    expect(ir.content).toEqual([]);
    expect(ir.usage.inputTokens).toBe(0);
  });
});
