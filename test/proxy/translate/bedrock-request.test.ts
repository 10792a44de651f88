import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bedrockCodec, bedrockPath } from '../../../proxy/translate/bedrock.ts';
import { TranslationError, type ChatRequest } from '../../../proxy/translate/ir.ts';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/bedrock/${name}`, import.meta.url), 'utf8'));
}

/** The JPEG bytes of request-normalized.json's image block. */
function jpegOf(wire: Record<string, unknown>): unknown {
  const messages = wire.messages as Array<{ content: Array<{ image?: { source: { bytes: unknown } } }> }>;
  return messages[0]?.content[1]?.image?.source.bytes;
}

const MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const hints = { model: MODEL, stream: false };

const richRequest: ChatRequest = {
  model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  system: [
    { type: 'text', text: 'Be terse.', cacheBreakpoint: true },
    { type: 'text', text: 'Use metric units.' },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris?' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/webp', data: 'UklGRhIAAABXRUJQVlA4' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'The user wants weather; call the tool.', signature: 'sig-abc' },
        { type: 'thinking', text: '', signature: null, redacted: 'b3BhcXVlIGJ5dGVz' },
        { type: 'text', text: 'Checking.' },
        {
          type: 'tool_call',
          id: 'tooluse_1',
          name: 'get_weather',
          arguments: '{"city":"Paris","units":"C"}',
        },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          toolCallId: 'tooluse_1',
          name: 'get_weather',
          content: [
            { type: 'text', text: '18 degrees, light rain' },
            {
              type: 'image',
              source: { kind: 'base64', mediaType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' },
            },
          ],
          isError: false,
        },
        { type: 'tool_result', toolCallId: 'tooluse_2', name: null, content: [], isError: true },
        { type: 'text', text: 'Thanks. Umbrella?', cacheBreakpoint: true },
      ],
    },
  ],
  tools: [
    {
      name: 'get_weather',
      description: 'Current weather for a city.',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
    { name: 'no_description', description: null, parameters: { type: 'object' } },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: null,
  maxTokens: 1024,
  temperature: 0.2,
  topP: 0.95,
  topK: 40,
  stop: ['END', 'STOP'],
  stream: true,
  responseFormat: null,
  thinkingBudget: 2048,
  user: null,
};

describe('bedrock request: wire -> IR -> wire', () => {
  it('round-trips a tool conversation with image, system cache point and top_k exactly', () => {
    const wire = fixture('request-tools.json');
    const ir = bedrockCodec.decodeRequest(wire, hints);
    expect(ir.model).toBe(MODEL);
    expect(ir.stream).toBe(false);
    expect(ir.system).toEqual([
      { type: 'text', text: expect.stringContaining('playlists'), cacheBreakpoint: true },
    ]);
    expect(ir.messages[0]?.content[1]).toMatchObject({ type: 'image', source: { mediaType: 'image/png' } });
    expect(ir.messages[2]?.content[0]).toMatchObject({
      type: 'tool_result',
      name: 'top_song',
      isError: false,
    });
    expect(ir.messages[2]?.content[1]).toEqual({
      type: 'text',
      text: 'Please also say who sings it.',
      cacheBreakpoint: true,
    });
    expect(ir).toMatchObject({
      topK: 250,
      maxTokens: 2048,
      temperature: 0.5,
      topP: 0.9,
      toolChoice: { type: 'auto' },
    });
    expect(bedrockCodec.encodeRequest(ir)).toEqual(wire);
  });

  it('round-trips reasoning, redacted reasoning, an error tool result and a thinking budget exactly', () => {
    const wire = fixture('request-thinking.json');
    const ir = bedrockCodec.decodeRequest(wire, { model: MODEL, stream: true });
    expect(ir.stream).toBe(true);
    expect(ir.thinkingBudget).toBe(4000);
    expect(ir.toolChoice).toEqual({ type: 'required' });
    expect(ir.messages[1]?.content[0]).toMatchObject({
      type: 'thinking',
      signature: expect.stringMatching(/^Eqo/),
    });
    expect(ir.messages[1]?.content[1]).toEqual({
      type: 'thinking',
      text: '',
      signature: null,
      redacted: 'RXJyb3I6IHJlZGFjdGVkIHRoaW5raW5nIGJsb2Nr',
    });
    expect(ir.messages[2]?.content[0]).toMatchObject({
      type: 'tool_result',
      name: 'is_prime',
      isError: true,
    });
    expect(bedrockCodec.encodeRequest(ir)).toEqual(wire);
  });

  it('applies only the documented normalizations', () => {
    const wire = fixture('request-normalized.json');
    const ir = bedrockCodec.decodeRequest(wire, hints);
    expect(ir.model).toBe(MODEL); // the URL's model wins over a body modelId
    expect(ir.thinkingBudget).toBeNull(); // thinking disabled
    expect(bedrockCodec.encodeRequest(ir)).toEqual({
      // dropped: modelId (URL), cachePoint ttl, a cachePoint with no text before it, the tools'
      // cachePoint, status "success" (the default), anthropic_beta, guardrailConfig,
      // requestMetadata, additionalModelResponseFieldPaths; json tool results become their text.
      system: [{ text: 'Answer briefly.' }, { cachePoint: { type: 'default' } }],
      messages: [
        {
          role: 'user',
          content: [
            { image: { format: 'jpeg', source: { bytes: jpegOf(wire) } } },
            { text: 'What is in this picture?' },
          ],
        },
        {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 'tooluse_lookup_1', name: 'lookup', input: { q: 'cat' } } }],
        },
        {
          role: 'user',
          content: [
            {
              toolResult: {
                toolUseId: 'tooluse_lookup_1',
                content: [{ text: '{"species":"Felis catus","legs":4}' }],
              },
            },
          ],
        },
      ],
      toolConfig: { tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object' } } } }] },
    });
  });

  it('falls back to the body modelId and defaults stream to false without hints', () => {
    const ir = bedrockCodec.decodeRequest({ modelId: 'amazon.nova-pro-v1:0', messages: [] });
    expect(ir).toMatchObject({ model: 'amazon.nova-pro-v1:0', stream: false, messages: [], tools: [] });
  });
});

describe('bedrock request: IR -> wire -> IR', () => {
  it('is the identity for a rich request', () => {
    const wire = bedrockCodec.encodeRequest(richRequest);
    expect(wire).not.toHaveProperty('modelId');
    expect(bedrockCodec.decodeRequest(wire, { model: richRequest.model, stream: true })).toEqual(richRequest);
  });

  it('drops what Converse cannot carry and says nothing it was not told', () => {
    const wire = bedrockCodec.encodeRequest({
      ...richRequest,
      toolChoice: { type: 'none' },
      parallelToolCalls: false,
      responseFormat: { type: 'json_object' },
      user: 'user-7',
      maxTokens: null,
      temperature: null,
      topP: null,
      topK: null,
      stop: [],
      thinkingBudget: null,
      system: [],
    });
    expect(wire.toolConfig).toEqual({ tools: expect.any(Array) });
    expect(Object.keys(wire).sort()).toEqual(['messages', 'toolConfig']);
  });

  it('merges adjacent messages of one role, which Bedrock would reject', () => {
    const wire = bedrockCodec.encodeRequest({
      ...richRequest,
      tools: [],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        { role: 'user', content: [{ type: 'text', text: 'b' }] },
        { role: 'assistant', content: [{ type: 'tool_call', id: 't1', name: 'f', arguments: '  ' }] },
      ],
    });
    expect(wire.messages).toEqual([
      { role: 'user', content: [{ text: 'a' }, { text: 'b' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: {} } }] },
    ]);
    expect(wire).not.toHaveProperty('toolConfig');
  });

  it.each([
    ['a URL image', { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }],
    ['a BMP image', { type: 'image', source: { kind: 'base64', mediaType: 'image/bmp', data: 'Qk0=' } }],
    ['a PDF', { type: 'image', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' } }],
    ['truncated arguments', { type: 'tool_call', id: 't', name: 'f', arguments: '{"city": "Par' }],
    ['array arguments', { type: 'tool_call', id: 't', name: 'f', arguments: '[1,2]' }],
  ])('refuses %s with param "messages"', (_label, part) => {
    const request = { ...richRequest, messages: [{ role: 'user' as const, content: [part as never] }] };
    expect(() => bedrockCodec.encodeRequest(request)).toThrowError(
      expect.objectContaining({ name: 'TranslationError', param: 'messages' }),
    );
  });

  it('refuses a URL image inside a tool result', () => {
    const part = {
      type: 'tool_result' as const,
      toolCallId: 't',
      name: null,
      content: [
        { type: 'image' as const, source: { kind: 'url' as const, url: 'https://example.com/x.png' } },
      ],
      isError: false,
    };
    const request = { ...richRequest, messages: [{ role: 'user' as const, content: [part] }] };
    expect(() => bedrockCodec.encodeRequest(request)).toThrow(TranslationError);
  });
});

describe('bedrockPath', () => {
  it('escapes ids, ARNs and inference profiles and picks the endpoint', () => {
    expect(bedrockPath(MODEL, false)).toBe('/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse');
    expect(bedrockPath('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.x', true)).toBe(
      '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.x/converse-stream',
    );
  });
});
