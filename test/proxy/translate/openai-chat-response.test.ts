/**
 * OpenAI chat.completion responses: reference fixtures round trip through the IR (dropped
 * fields asserted explicitly), a rich IR response survives IR -> wire -> IR, and stop reasons,
 * refusals, reasoning text and usage map as documented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../../proxy/translate/ir.ts';
import { openaiChatCodec } from '../../../proxy/translate/openai-chat.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/openai-chat/${name}`, import.meta.url), 'utf8')) as Json;
}

function roundTrip(body: Json): Json {
  return openaiChatCodec.encodeResponse(openaiChatCodec.decodeResponse(body));
}

/** Fields the IR deliberately does not keep: service tier, fingerprint, annotations, audio and prediction counts. */
function withoutDropped(body: Json): Json {
  const expected = structuredClone(body);
  delete expected.service_tier;
  delete expected.system_fingerprint;
  const message = expected.choices[0].message;
  delete message.annotations;
  delete message.reasoning_content;
  message.refusal ??= null;
  const usage = expected.usage;
  delete usage.prompt_cache_hit_tokens;
  delete usage.prompt_cache_miss_tokens;
  delete usage.prompt_tokens_details.audio_tokens;
  for (const key of ['audio_tokens', 'accepted_prediction_tokens', 'rejected_prediction_tokens']) {
    delete usage.completion_tokens_details[key];
  }
  return expected;
}

describe('OpenAI chat response round trip (wire -> IR -> wire)', () => {
  for (const name of [
    'response-text.json',
    'response-tool-calls.json',
    'response-refusal.json',
    'response-reasoning-length.json',
    'response-deepseek-reasoning.json',
  ]) {
    it(`${name} survives, less the fields the IR does not keep`, () => {
      const body = fixture(name);
      expect(roundTrip(body)).toEqual(withoutDropped(body));
    });
  }
});

describe('decoding responses', () => {
  it('reads text, usage and the stop reason', () => {
    expect(openaiChatCodec.decodeResponse(fixture('response-text.json'))).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      model: 'gpt-4.1-2025-04-14',
      content: [{ type: 'text', text: 'Hello! How can I assist you today?' }],
      stopReason: 'end_turn',
      stopSequence: null,
      usage: {
        inputTokens: 19,
        outputTokens: 10,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 0,
      },
      created: 1741569952,
    });
  });

  it('reads tool calls with their argument text and cached prompt tokens', () => {
    const ir = openaiChatCodec.decodeResponse(fixture('response-tool-calls.json'));
    expect(ir.stopReason).toBe('tool_use');
    expect(ir.content).toEqual([
      {
        type: 'tool_call',
        id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        name: 'get_current_weather',
        arguments: '{"location": "Boston, MA"}',
      },
      {
        type: 'tool_call',
        id: 'call_ABXkmO6kbdaXKhfQNo6PLQ3B',
        name: 'get_current_weather',
        arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
      },
    ]);
    expect(ir.usage).toMatchObject({ inputTokens: 2150, cachedInputTokens: 1920, outputTokens: 57 });
  });

  it('turns a refusal into text with stop reason refusal', () => {
    const ir = openaiChatCodec.decodeResponse(fixture('response-refusal.json'));
    expect(ir.content).toEqual([{ type: 'text', text: "I'm sorry, I can't assist with that request." }]);
    expect(ir.stopReason).toBe('refusal');
  });

  it('maps length and keeps reasoning tokens inside output tokens', () => {
    const ir = openaiChatCodec.decodeResponse(fixture('response-reasoning-length.json'));
    expect(ir.stopReason).toBe('max_tokens');
    expect(ir.usage).toMatchObject({ outputTokens: 2000, reasoningTokens: 1984, cachedInputTokens: 3968 });
  });

  it("decodes DeepSeek's reasoning_content and OpenRouter's reasoning to thinking", () => {
    const ir = openaiChatCodec.decodeResponse(fixture('response-deepseek-reasoning.json'));
    expect(ir.content[0]).toEqual({
      type: 'thinking',
      text: 'Compare the tenths: 1 is less than 8, so 9.11 is smaller.',
      signature: null,
    });
    expect(ir.usage.reasoningTokens).toBe(30);
    const openrouter = openaiChatCodec.decodeResponse({
      choices: [{ message: { role: 'assistant', content: 'x', reasoning: 'r' }, finish_reason: 'stop' }],
    });
    expect(openrouter.content).toEqual([
      { type: 'thinking', text: 'r', signature: null },
      { type: 'text', text: 'x' },
    ]);
  });

  it('maps every finish_reason, and a vLLM stop_reason string to the stop sequence', () => {
    const stop = (choice: Json): [string, string | null] => {
      const ir = openaiChatCodec.decodeResponse({ choices: [{ message: { content: 'x' }, ...choice }] });
      return [ir.stopReason, ir.stopSequence];
    };
    expect(stop({ finish_reason: 'stop' })).toEqual(['end_turn', null]);
    expect(stop({ finish_reason: 'length' })).toEqual(['max_tokens', null]);
    expect(stop({ finish_reason: 'tool_calls' })).toEqual(['tool_use', null]);
    expect(stop({ finish_reason: 'function_call' })).toEqual(['tool_use', null]);
    expect(stop({ finish_reason: 'content_filter' })).toEqual(['content_filter', null]);
    expect(stop({ finish_reason: 'stop', stop_reason: '###' })).toEqual(['stop_sequence', '###']);
    expect(stop({ finish_reason: null })).toEqual(['end_turn', null]);
  });

  it('is lenient with compatible servers: content arrays, legacy function_call, missing ids and usage', () => {
    const ir = openaiChatCodec.decodeResponse({
      choices: [
        {
          message: {
            content: [{ type: 'text', text: 'a' }, { type: 'text', text: '' }, 7],
            tool_calls: [{ function: { name: 'f', arguments: { x: 1 } } }, { function: {} }, 'junk'],
            function_call: { name: 'g', arguments: '{}' },
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
    expect(ir).toMatchObject({ id: '', model: '', created: 0, usage: { inputTokens: 0, outputTokens: 0 } });
    expect(ir.content).toEqual([
      { type: 'text', text: 'a' },
      { type: 'tool_call', id: 'call_0', name: 'f', arguments: '{"x":1}' },
      { type: 'tool_call', id: 'call_0', name: 'g', arguments: '{}' },
    ]);
  });
});

const RICH: ChatResponse = {
  id: 'chatcmpl-rich',
  model: 'gpt-4.1-2025-04-14',
  content: [
    { type: 'text', text: 'Checking both cities.' },
    { type: 'tool_call', id: 'call_a', name: 'weather', arguments: '{"city":"Boston"}' },
    { type: 'tool_call', id: 'call_b', name: 'weather', arguments: '{"city":"Paris"}' },
  ],
  stopReason: 'tool_use',
  stopSequence: null,
  usage: {
    inputTokens: 5000,
    outputTokens: 300,
    cachedInputTokens: 4000,
    cacheWriteTokens: 500,
    cacheWrite1hTokens: 0,
    reasoningTokens: 120,
  },
  created: 1750000000,
};

describe('IR -> wire -> IR for responses', () => {
  const viaWire = (ir: ChatResponse): ChatResponse =>
    openaiChatCodec.decodeResponse(JSON.parse(JSON.stringify(openaiChatCodec.encodeResponse(ir))));

  it('is the identity for a rich response', () => {
    expect(viaWire(RICH)).toEqual(RICH);
  });

  it('is the identity for refusal, max_tokens and content_filter answers', () => {
    for (const stopReason of ['refusal', 'max_tokens', 'content_filter', 'end_turn'] as const) {
      const ir: ChatResponse = { ...RICH, content: [{ type: 'text', text: 'No.' }], stopReason };
      expect(viaWire(ir)).toEqual(ir);
    }
  });

  it('drops thinking, reports a stop sequence as plain stop and folds 1h cache writes into cache_write_tokens', () => {
    const wire = openaiChatCodec.encodeResponse({
      ...RICH,
      content: [
        { type: 'thinking', text: 'secret', signature: 'sig' },
        { type: 'text', text: 'Done' },
      ],
      stopReason: 'stop_sequence',
      stopSequence: 'END',
      usage: { ...RICH.usage, cacheWrite1hTokens: 200 },
    }) as Json;
    expect(JSON.stringify(wire)).not.toContain('secret');
    expect(wire.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: 'Done', refusal: null },
      logprobs: null,
      finish_reason: 'stop',
    });
    expect(wire.usage).toEqual({
      prompt_tokens: 5000,
      completion_tokens: 300,
      total_tokens: 5300,
      prompt_tokens_details: { cached_tokens: 4000, cache_write_tokens: 700 },
      completion_tokens_details: { reasoning_tokens: 120 },
    });
  });
});
