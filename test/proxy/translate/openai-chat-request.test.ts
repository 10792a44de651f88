/**
 * OpenAI Chat Completions requests: reference fixtures round trip through the IR (after the
 * normalizations the codec documents, each asserted here), and a rich IR request survives
 * IR -> wire -> IR unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../proxy/translate/ir.ts';
import { openaiChatCodec } from '../../../proxy/translate/openai-chat.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/openai-chat/${name}`, import.meta.url), 'utf8')) as Json;
}

function roundTrip(body: Json): Json {
  return openaiChatCodec.encodeRequest(openaiChatCodec.decodeRequest(body));
}

describe('OpenAI chat request round trip (wire -> IR -> wire)', () => {
  it('turns a developer message into a system message and keeps the rest', () => {
    const body = fixture('request-default.json');
    const expected = structuredClone(body);
    expected.messages[0].role = 'system';
    expect(roundTrip(body)).toEqual(expected);
  });

  it('keeps text, URL and data-URL images; max_tokens becomes max_completion_tokens; detail is dropped', () => {
    const body = fixture('request-image.json');
    const expected = structuredClone(body);
    delete expected.messages[0].content[2].image_url.detail;
    expected.max_completion_tokens = expected.max_tokens;
    delete expected.max_tokens;
    expect(roundTrip(body)).toEqual(expected);
  });

  it('keeps tools, tool calls, tool results and every sampling field; drops seed, store, metadata', () => {
    const body = fixture('request-tools.json');
    const expected = structuredClone(body);
    delete expected.seed;
    delete expected.store;
    delete expected.metadata;
    expect(roundTrip(body)).toEqual(expected);
  });

  it('decodes the rich request into the IR it stands for', () => {
    const ir = openaiChatCodec.decodeRequest(fixture('request-tools.json'));
    expect(ir.system).toEqual([{ type: 'text', text: 'You are a weather bot.' }]);
    expect(ir.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(ir.messages[2]?.content).toEqual([
      {
        type: 'tool_result',
        toolCallId: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
        name: 'get_current_weather',
        content: [{ type: 'text', text: '{"temperature": 22, "unit": "celsius"}' }],
        isError: false,
      },
      {
        type: 'tool_result',
        toolCallId: 'call_ABXkmO6kbdaXKhfQNo6PLQ3B',
        name: 'get_current_weather',
        content: [{ type: 'text', text: '{"temperature": 65, "unit": "fahrenheit"}' }],
        isError: false,
      },
    ]);
    expect(ir).toMatchObject({
      toolChoice: { type: 'tool', name: 'get_current_weather' },
      parallelToolCalls: false,
      maxTokens: 1024,
      temperature: 0.2,
      topP: 0.9,
      topK: null,
      stop: ['\n\n\n', 'END'],
      stream: true,
      thinkingBudget: 8192,
      user: 'user-1234',
      responseFormat: { type: 'json_schema', name: 'weather_summary', strict: true },
    });
  });

  it('decodes a base64 data URL into an inline image', () => {
    const ir = openaiChatCodec.decodeRequest(fixture('request-image.json'));
    expect(ir.messages[0]?.content[2]).toEqual({
      type: 'image',
      source: {
        kind: 'base64',
        mediaType: 'image/png',
        data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      },
    });
  });
});

const RICH: ChatRequest = {
  model: 'gpt-4.1',
  system: [
    { type: 'text', text: 'You are terse.' },
    { type: 'text', text: 'Answer in English.' },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Compare these.' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me look them up.' },
        { type: 'tool_call', id: 'call_1', name: 'lookup', arguments: '{"q":"a"}' },
        { type: 'tool_call', id: 'call_2', name: 'lookup', arguments: '{"q":"b"}' },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          toolCallId: 'call_1',
          name: 'lookup',
          content: [{ type: 'text', text: 'A' }],
          isError: false,
        },
        {
          type: 'tool_result',
          toolCallId: 'call_2',
          name: 'lookup',
          content: [
            { type: 'text', text: 'B1' },
            { type: 'text', text: 'B2' },
          ],
          isError: false,
        },
      ],
    },
    { role: 'assistant', content: [{ type: 'text', text: 'A is older.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Why?' }] },
  ],
  tools: [
    {
      name: 'lookup',
      description: 'Looks a thing up',
      parameters: { type: 'object', properties: { q: { type: 'string' } } },
    },
    { name: 'noop', description: null, parameters: { type: 'object', properties: {} } },
  ],
  toolChoice: { type: 'required' },
  parallelToolCalls: true,
  maxTokens: 2048,
  temperature: 0.7,
  topP: 1,
  topK: null,
  stop: ['STOP'],
  stream: true,
  responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: false },
  thinkingBudget: 24576,
  user: 'end-user-7',
};

describe('IR -> wire -> IR', () => {
  it('is the identity for a rich request', () => {
    const wire = openaiChatCodec.encodeRequest(RICH);
    expect(openaiChatCodec.decodeRequest(JSON.parse(JSON.stringify(wire)))).toEqual(RICH);
  });

  it('is the identity for a minimal request', () => {
    const minimal: ChatRequest = {
      ...RICH,
      system: [],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      tools: [],
      toolChoice: null,
      parallelToolCalls: null,
      maxTokens: null,
      temperature: null,
      topP: null,
      stop: [],
      stream: false,
      responseFormat: null,
      thinkingBudget: null,
      user: null,
    };
    const wire = openaiChatCodec.encodeRequest(minimal);
    expect(wire).toEqual({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    expect(openaiChatCodec.decodeRequest(wire)).toEqual(minimal);
  });

  it('keeps text and json_object response formats', () => {
    for (const responseFormat of [{ type: 'text' }, { type: 'json_object' }] as const) {
      const wire = openaiChatCodec.encodeRequest({ ...RICH, responseFormat });
      expect(wire.response_format).toEqual(responseFormat);
      expect(openaiChatCodec.decodeRequest(wire).responseFormat).toEqual(responseFormat);
    }
  });
});

describe('what the encoder drops', () => {
  it('drops thinking, cache breakpoints, topK, images and isError in tool results', () => {
    const wire = openaiChatCodec.encodeRequest({
      ...RICH,
      topK: 40,
      system: [{ type: 'text', text: 'sys', cacheBreakpoint: true }],
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'hmm', signature: 'sig' },
            { type: 'tool_call', id: 't', name: 'lookup', arguments: '{}' },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              toolCallId: 't',
              name: 'lookup',
              content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }],
              isError: true,
            },
            { type: 'text', text: 'go on' },
          ],
        },
      ],
    });
    expect(wire).not.toHaveProperty('top_k');
    expect(wire.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'assistant', content: null, tool_calls: [expect.objectContaining({ id: 't' })] },
      { role: 'tool', tool_call_id: 't', content: '' },
      { role: 'user', content: 'go on' },
    ]);
  });

  it('sends tool_choice and parallel_tool_calls only with tools, and an empty assistant as ""', () => {
    const wire = openaiChatCodec.encodeRequest({
      ...RICH,
      tools: [],
      messages: [{ role: 'assistant', content: [] }],
    });
    expect(wire).not.toHaveProperty('tools');
    expect(wire).not.toHaveProperty('tool_choice');
    expect(wire).not.toHaveProperty('parallel_tool_calls');
    expect(wire.messages).toContainEqual({ role: 'assistant', content: '' });
  });
});
