/**
 * OpenAI Chat Completions request options beyond the reference fixtures' round trip: the legacy
 * functions / function_call parameters (decoded into tools, never encoded) and the documented
 * reasoning_effort <-> thinking budget mapping.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openaiChatCodec } from '../../../proxy/translate/openai-chat.ts';
import { EFFORT_BUDGETS, effortFromBudget } from '../../../proxy/translate/openai-chat-fields.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/openai-chat/${name}`, import.meta.url), 'utf8')) as Json;
}

describe('legacy functions and function_call (decode only)', () => {
  const ir = openaiChatCodec.decodeRequest(fixture('request-legacy-functions.json'));

  it('reads functions as tools and function_call as the tool choice', () => {
    expect(ir.tools).toEqual([
      expect.objectContaining({ name: 'get_current_weather', description: expect.any(String) }),
    ]);
    expect(ir.toolChoice).toEqual({ type: 'auto' });
  });

  it('pairs the assistant function_call with the function message through a generated id', () => {
    const call = ir.messages[1]?.content[0];
    const result = ir.messages[2]?.content[0];
    expect(call).toMatchObject({ type: 'tool_call', name: 'get_current_weather' });
    expect(result).toMatchObject({ type: 'tool_result', name: 'get_current_weather', isError: false });
    expect(
      call?.type === 'tool_call' && result?.type === 'tool_result' && call.id === result.toolCallId,
    ).toBe(true);
  });

  it('re-encodes as tools, tool_choice, tool_calls and tool messages', () => {
    const body = openaiChatCodec.encodeRequest(ir);
    expect(body).not.toHaveProperty('functions');
    expect(body).not.toHaveProperty('function_call');
    expect(body.tool_choice).toBe('auto');
    const messages = body.messages as Json[];
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(messages[2]?.tool_call_id).toBe(messages[1]?.tool_calls[0].id);
  });

  it('takes a named function_call, and tool_choice over function_call', () => {
    const named = openaiChatCodec.decodeRequest({
      model: 'm',
      messages: [],
      functions: [{ name: 'f' }],
      function_call: { name: 'f' },
    });
    expect(named.toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(named.tools[0]?.parameters).toEqual({ type: 'object', properties: {} });
    const both = openaiChatCodec.decodeRequest({
      model: 'm',
      messages: [],
      tool_choice: 'none',
      function_call: 'auto',
    });
    expect(both.toolChoice).toEqual({ type: 'none' });
  });
});

describe('reasoning_effort <-> thinking budget', () => {
  it('maps each documented level and back to low/medium/high', () => {
    const decode = (effort: string): number | null =>
      openaiChatCodec.decodeRequest({ model: 'o3', messages: [], reasoning_effort: effort }).thinkingBudget;
    expect(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'].map(decode)).toEqual([
      null,
      1024,
      1024,
      8192,
      24576,
      32768,
      32768,
    ]);
    expect(Object.values(EFFORT_BUDGETS).map(effortFromBudget)).toEqual([
      null,
      'low',
      'low',
      'medium',
      'high',
      'high',
      'high',
    ]);
    expect([0, 2000, 4096, 16000, 16384, 100000].map(effortFromBudget)).toEqual([
      null,
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
  });
});

describe('assistant history from other clients', () => {
  it('keeps text and refusal parts, a refusal field and object arguments as text', () => {
    const ir = openaiChatCodec.decodeRequest({
      model: 'm',
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Partly: ' },
            { type: 'refusal', refusal: 'no more.' },
            { type: 'refusal', refusal: '' },
          ],
          refusal: 'Sorry.',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: { x: 1 } } },
            { id: 'b', function: { name: 'g' } },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.content).toEqual([
      { type: 'text', text: 'Partly: ' },
      { type: 'text', text: 'no more.' },
      { type: 'text', text: 'Sorry.' },
      { type: 'tool_call', id: 'a', name: 'f', arguments: '{"x":1}' },
      { type: 'tool_call', id: 'b', name: 'g', arguments: '{}' },
    ]);
  });
});
