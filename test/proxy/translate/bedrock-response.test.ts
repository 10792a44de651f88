import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bedrockCodec } from '../../../proxy/translate/bedrock.ts';
import { TranslationError, type ChatResponse, type StopReason } from '../../../proxy/translate/ir.ts';
import { stopReasonFromBedrock, usageFromBedrock } from '../../../proxy/translate/bedrock-usage.ts';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/bedrock/${name}`, import.meta.url), 'utf8'));
}

/** The one documented normalization of a response: the IR has no latency, so 0 goes out. */
function withoutLatency(wire: Record<string, unknown>): Record<string, unknown> {
  return { ...wire, metrics: { latencyMs: 0 } };
}

const richResponse: ChatResponse = {
  id: 'msg_1',
  model: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  content: [
    { type: 'thinking', text: 'Plan the call.', signature: 'sig-1' },
    { type: 'thinking', text: '', signature: null, redacted: 'cmVkYWN0ZWQ=' },
    { type: 'text', text: 'Calling two tools.' },
    { type: 'tool_call', id: 'tooluse_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { type: 'tool_call', id: 'tooluse_b', name: 'get_time', arguments: '{}' },
  ],
  stopReason: 'tool_use',
  stopSequence: null,
  usage: {
    inputTokens: 5000,
    outputTokens: 300,
    cachedInputTokens: 3000,
    cacheWriteTokens: 1200,
    cacheWrite1hTokens: 700,
    reasoningTokens: 0,
  },
  created: 1_700_000_000,
};

describe('bedrock response: wire -> IR -> wire', () => {
  it('round-trips reasoning, text and a tool call with cache reads', () => {
    const wire = fixture('response-tool.json');
    const ir = bedrockCodec.decodeResponse(wire);
    expect(ir.id).toMatch(/^bedrock-[0-9a-f-]{36}$/);
    expect(ir.model).toBe(''); // Bedrock names no model: the caller fills it in from the URL
    expect(ir.created).toBeGreaterThan(1_700_000_000);
    expect(ir.content).toEqual([
      {
        type: 'thinking',
        text: 'The user wants the most popular song on WZPZ. The top_song tool takes a call sign.',
        signature: 'ErcBCkgIAhABGAIiQM3nWZPZsig0001',
      },
      { type: 'text', text: "I'll look up the most popular song on WZPZ." },
      {
        type: 'tool_call',
        id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        name: 'top_song',
        arguments: '{"sign":"WZPZ"}',
      },
    ]);
    expect(ir.stopReason).toBe('tool_use');
    // inputTokens 22 is only the uncached remainder: the whole prompt adds the 1500 cache reads.
    expect(ir.usage).toEqual({
      inputTokens: 1522,
      outputTokens: 112,
      cachedInputTokens: 1500,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    });
    expect(bedrockCodec.encodeResponse(ir)).toEqual(withoutLatency(wire));
  });

  it('round-trips a stop sequence and cache writes split by TTL', () => {
    const wire = fixture('response-text.json');
    const ir = bedrockCodec.decodeResponse(wire);
    expect(ir.stopReason).toBe('stop_sequence');
    expect(ir.stopSequence).toBe('\n\nHuman:');
    expect(ir.usage).toMatchObject({ inputTokens: 2812, cacheWriteTokens: 800, cacheWrite1hTokens: 2000 });
    expect(bedrockCodec.encodeResponse(ir)).toEqual(withoutLatency(wire));
  });

  it('reads the reference example without cache fields', () => {
    const ir = bedrockCodec.decodeResponse({
      output: { message: { role: 'assistant', content: [{ text: 'Here is a list of 3 pop songs...' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 125, outputTokens: 60, totalTokens: 185 },
      metrics: { latencyMs: 1175 },
    });
    expect(ir.usage).toMatchObject({ inputTokens: 125, outputTokens: 60, cachedInputTokens: 0 });
    expect(ir.stopSequence).toBeNull();
  });

  it('skips blocks an answer cannot hold and keeps unparseable arguments as a string input', () => {
    const ir = bedrockCodec.decodeResponse({
      output: {
        message: {
          content: [
            { citationsContent: { content: [{ text: 'x' }] } },
            { toolUse: { toolUseId: 'a' } },
            { reasoningContent: { somethingNew: {} } },
            { toolUse: { toolUseId: 't', name: 'noargs' } },
            null,
          ],
        },
      },
      stopReason: 'something_new',
    });
    expect(ir.content).toEqual([{ type: 'tool_call', id: 't', name: 'noargs', arguments: '{}' }]);
    expect(ir.stopReason).toBe('end_turn');
    expect(ir.usage.inputTokens).toBe(0);
    const wire = bedrockCodec.encodeResponse({
      ...richResponse,
      content: [
        { type: 'tool_call', id: 't', name: 'f', arguments: '{"cut": "sho' },
        { type: 'tool_call', id: 'u', name: 'g', arguments: '' },
      ],
    });
    expect((wire.output as { message: { content: unknown[] } }).message.content).toEqual([
      { toolUse: { toolUseId: 't', name: 'f', input: '{"cut": "sho' } },
      { toolUse: { toolUseId: 'u', name: 'g', input: {} } },
    ]);
  });

  it('rejects a body without output.message.content', () => {
    for (const body of [null, [], 'x', {}, { output: {} }, { output: { message: { content: 'hi' } } }]) {
      expect(() => bedrockCodec.decodeResponse(body)).toThrowError(
        expect.objectContaining({ param: 'output' }),
      );
    }
    expect(() => bedrockCodec.decodeResponse({})).toThrow(TranslationError);
  });
});

describe('bedrock response: IR -> wire -> IR', () => {
  it('is the identity except for what Bedrock bodies never carry (id, model, created)', () => {
    const wire = bedrockCodec.encodeResponse(richResponse);
    expect(wire.usage).toEqual({
      inputTokens: 100,
      outputTokens: 300,
      totalTokens: 5300,
      cacheReadInputTokens: 3000,
      cacheWriteInputTokens: 1900,
      cacheDetails: [
        { ttl: '1h', inputTokens: 700 },
        { ttl: '5m', inputTokens: 1200 },
      ],
    });
    const back = bedrockCodec.decodeResponse(wire);
    expect({
      ...back,
      id: richResponse.id,
      model: richResponse.model,
      created: richResponse.created,
    }).toEqual(richResponse);
  });

  it('carries a known stop sequence and omits absent cache fields', () => {
    const wire = bedrockCodec.encodeResponse({
      ...richResponse,
      content: [{ type: 'text', text: 'done' }],
      stopReason: 'stop_sequence',
      stopSequence: 'END',
      usage: { ...richResponse.usage, cachedInputTokens: 0, cacheWriteTokens: 0, cacheWrite1hTokens: 0 },
    });
    expect(wire.additionalModelResponseFields).toEqual({ stop_sequence: 'END' });
    expect(wire.usage).toEqual({ inputTokens: 5000, outputTokens: 300, totalTokens: 5300 });
  });
});

describe('bedrock stop reasons and usage', () => {
  it.each<[string, StopReason, string]>([
    ['end_turn', 'end_turn', 'end_turn'],
    ['tool_use', 'tool_use', 'tool_use'],
    ['max_tokens', 'max_tokens', 'max_tokens'],
    ['stop_sequence', 'stop_sequence', 'stop_sequence'],
    ['content_filtered', 'content_filter', 'content_filtered'],
    ['guardrail_intervened', 'content_filter', 'content_filtered'],
    ['model_context_window_exceeded', 'max_tokens', 'max_tokens'],
    ['malformed_tool_use', 'tool_use', 'tool_use'],
    ['malformed_model_output', 'end_turn', 'end_turn'],
  ])('%s -> %s -> %s', (wire, ir, back) => {
    expect(stopReasonFromBedrock(wire)).toBe(ir);
    const encoded = bedrockCodec.encodeResponse({ ...richResponse, stopReason: ir });
    expect(encoded.stopReason).toBe(back);
  });

  it('sends refusal as content_filtered, the nearest Bedrock reason', () => {
    expect(bedrockCodec.encodeResponse({ ...richResponse, stopReason: 'refusal' }).stopReason).toBe(
      'content_filtered',
    );
  });

  it('reads usage defensively', () => {
    expect(usageFromBedrock(null)).toBeNull();
    expect(usageFromBedrock({})).toBeNull();
    expect(usageFromBedrock({ inputTokens: -1, outputTokens: 1.5 })).toBeNull();
    const odd = usageFromBedrock({
      inputTokens: 10,
      outputTokens: 5,
      cacheWriteInputTokens: 50,
      cacheDetails: [{ ttl: '1h', inputTokens: 20 }, { ttl: '5m', inputTokens: -3 }, null, { ttl: '5m' }],
    });
    // Writes not accounted for by the breakdown are still billed, at the 5-minute rate.
    expect(odd).toMatchObject({ inputTokens: 60, cacheWriteTokens: 30, cacheWrite1hTokens: 20 });
  });
});
