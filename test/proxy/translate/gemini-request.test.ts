import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { geminiCodec, geminiPath } from '../../../proxy/translate/gemini.ts';
import type { ChatRequest } from '../../../proxy/translate/ir.ts';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/gemini/${name}`, import.meta.url), 'utf8'));
}

const hints = { model: 'gemini-2.5-flash', stream: false };

describe('gemini request fixtures: wire -> IR -> wire', () => {
  it.each([
    'request-chat.json',
    'request-multimodal.json',
    'request-tools.json',
    'request-thinking-json.json',
  ])('%s comes back unchanged', (name) => {
    const wire = fixture(name);
    const ir = geminiCodec.decodeRequest(wire, hints);
    expect(geminiCodec.encodeRequest(ir)).toEqual(wire);
  });

  it('reads system, turns and sampling from the chat example', () => {
    const ir = geminiCodec.decodeRequest(fixture('request-chat.json'), { model: 'models/gemini-2.5-flash' });
    expect(ir).toMatchObject({
      model: 'gemini-2.5-flash',
      system: [{ type: 'text', text: 'You are a cat. Your name is Neko.' }],
      maxTokens: 800,
      temperature: 1,
      topP: 0.8,
      topK: 10,
      stop: ['Title'],
      stream: false,
      toolChoice: null,
      parallelToolCalls: null,
      responseFormat: null,
      thinkingBudget: null,
      user: null,
    });
    expect(ir.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('reads images as base64 and url sources', () => {
    const ir = geminiCodec.decodeRequest(fixture('request-multimodal.json'), hints);
    expect(ir.messages[0]?.content.slice(0, 2)).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: expect.any(String) } },
      {
        type: 'image',
        source: { kind: 'url', url: 'https://generativelanguage.googleapis.com/v1beta/files/2s8j4m5x9q1w' },
      },
    ]);
  });

  it('gives id-less calls stable ids, matches results by name and keeps signatures after their part', () => {
    const ir = geminiCodec.decodeRequest(fixture('request-tools.json'), hints);
    expect(ir.messages[1]?.content).toEqual([
      { type: 'tool_call', id: 'call_0', name: 'check_flight', arguments: '{"flight":"AA100"}' },
      { type: 'thinking', text: '', signature: 'CtoBAdHtim9Bz3v6j1xWnP1GvV7m' },
    ]);
    expect(ir.messages[2]?.content).toEqual([
      {
        type: 'tool_result',
        toolCallId: 'call_0',
        name: 'check_flight',
        content: [{ type: 'text', text: '{"status":"delayed","departure_time":"12 PM"}' }],
        isError: false,
      },
    ]);
    expect(ir.messages[4]?.content[0]).toMatchObject({
      toolCallId: 'call_1',
      content: [{ text: 'booking confirmed' }],
    });
    expect(ir.toolChoice).toEqual({ type: 'tool', name: 'book_taxi' });
    expect(ir.tools.map((t) => t.parameters)).toEqual([
      {
        type: 'object',
        properties: { flight: { type: 'string', description: 'The flight number to check' } },
        required: ['flight'],
      },
      {
        type: 'object',
        properties: {
          time: { type: 'string', description: 'Pickup time' },
          seats: { type: ['integer', 'null'], minimum: 1 },
        },
        required: ['time'],
      },
      { type: 'object', properties: {} },
    ]);
  });

  it('reads thinking and a JSON schema response format', () => {
    const ir = geminiCodec.decodeRequest(fixture('request-thinking-json.json'), hints);
    expect(ir.thinkingBudget).toBe(1024);
    expect(ir.responseFormat).toMatchObject({ type: 'json_schema', name: 'response', strict: false });
    expect(ir.messages[1]?.content[0]).toMatchObject({ type: 'thinking', signature: null });
  });
});

const richRequest: ChatRequest = {
  model: 'gemini-2.5-pro',
  system: [
    { type: 'text', text: 'Be terse.' },
    { type: 'text', text: 'Use metric units.' },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris, and what time is it?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/webp', data: 'UklGRhIAAABXRUJQVlA4' } },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/paris.png' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'Two tools are needed.', signature: 'c2lnLTE=' },
        { type: 'text', text: 'Checking.' },
        { type: 'tool_call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'thinking', text: '', signature: 'c2lnLTI=' },
        { type: 'tool_call', id: 'fc-7', name: 'get_time', arguments: '{}' },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          toolCallId: 'call_0',
          name: 'get_weather',
          content: [{ type: 'text', text: '{"temp":21}' }],
          isError: false,
        },
        {
          type: 'tool_result',
          toolCallId: 'fc-7',
          name: 'get_time',
          content: [{ type: 'text', text: 'timeout' }],
          isError: true,
        },
      ],
    },
    { role: 'assistant', content: [{ type: 'text', text: '21 °C; the clock is down.' }] },
    { role: 'user', content: [{ type: 'text', text: 'Thanks.' }] },
  ],
  tools: [
    {
      name: 'get_weather',
      description: 'Current weather',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City name' },
          unit: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit'] },
          days: { type: 'array', items: { type: 'integer', format: 'int32' }, maxItems: 7 },
        },
        required: ['city'],
      },
    },
    { name: 'get_time', description: null, parameters: { type: 'object', properties: {} } },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: null,
  maxTokens: 1000,
  temperature: 0.5,
  topP: 0.9,
  topK: 40,
  stop: ['END'],
  stream: true,
  responseFormat: {
    type: 'json_schema',
    name: 'response',
    schema: { type: 'object', properties: { answer: { type: 'string' } }, additionalProperties: false },
    strict: false,
  },
  thinkingBudget: 2048,
  user: null,
};

describe('gemini request: IR -> wire -> IR', () => {
  it('is the identity for a rich request', () => {
    const wire = geminiCodec.encodeRequest(richRequest);
    expect(wire).not.toHaveProperty('model');
    const back = geminiCodec.decodeRequest(wire, { model: richRequest.model, stream: true });
    expect(back).toEqual(richRequest);
  });

  it('writes the documented wire shapes', () => {
    const wire = geminiCodec.encodeRequest(richRequest) as {
      contents: Array<{ role: string; parts: unknown[] }>;
    };
    expect(wire.contents[1]?.parts).toEqual([
      { text: 'Two tools are needed.', thought: true, thoughtSignature: 'c2lnLTE=' },
      { text: 'Checking.' },
      { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnLTI=' },
      { functionCall: { id: 'fc-7', name: 'get_time', args: {} } },
    ]);
    expect(wire.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'get_weather', response: { temp: 21 } } },
      { functionResponse: { id: 'fc-7', name: 'get_time', response: { error: 'timeout' } } },
    ]);
    expect(wire.contents[0]?.parts[2]).toEqual({
      fileData: { mimeType: 'image/png', fileUri: 'https://example.com/paris.png' },
    });
    expect(wire).toMatchObject({
      tools: [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'get_time' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
      generationConfig: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } },
    });
  });
});

describe('geminiPath', () => {
  it('names the method and asks for SSE when streaming', () => {
    expect(geminiPath('gemini-2.5-flash', false)).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(geminiPath('models/gemini-2.5-flash', true)).toBe(
      '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });
});
