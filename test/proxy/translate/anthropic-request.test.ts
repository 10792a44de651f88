import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import { TranslationError } from '../../../proxy/translate/ir.ts';
import type { ChatRequest } from '../../../proxy/translate/ir.ts';
import { baseRequest, fixture, WEATHER_TOOL } from './anthropic-helpers.ts';

const { decodeRequest, encodeRequest } = anthropicCodec;

const RICH_REQUEST: ChatRequest = baseRequest({
  system: [
    { type: 'text', text: 'You are terse.' },
    { type: 'text', text: 'Long cached reference text.', cacheBreakpoint: true },
  ],
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Look at these.' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
        { type: 'text', text: 'What is the weather where they were taken?', cacheBreakpoint: true },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', text: 'They look like Paris.', signature: 'sig-abc' },
        { type: 'thinking', text: '', signature: null, redacted: 'opaque-redacted-data' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
        { type: 'tool_call', id: 'toolu_2', name: 'get_time', arguments: '{}' },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          toolCallId: 'toolu_1',
          name: 'get_weather',
          content: [
            { type: 'text', text: '21°C, sunny' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
          ],
          isError: false,
        },
        {
          type: 'tool_result',
          toolCallId: 'toolu_2',
          name: 'get_time',
          content: [{ type: 'text', text: 'clock unavailable' }],
          isError: true,
        },
        { type: 'text', text: 'Thanks. Summarise.' },
      ],
    },
  ],
  tools: [
    WEATHER_TOOL,
    { name: 'get_time', description: null, parameters: { type: 'object', properties: {} } },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: false,
  maxTokens: 8192,
  temperature: 1,
  topP: 0.95,
  topK: 5,
  stop: ['END'],
  stream: true,
  responseFormat: { type: 'json_schema', name: 'response', schema: { type: 'object' }, strict: true },
  thinkingBudget: 2048,
  user: 'user-42',
});

describe('anthropic request: fixture wire -> IR -> wire', () => {
  it.each(['request-tools.json', 'request-thinking.json'])('%s round-trips unchanged', (name) => {
    const wire = fixture(name);
    expect(encodeRequest(decodeRequest(wire))).toEqual(wire);
  });

  it('decodes the tools fixture into the IR', () => {
    const ir = decodeRequest(fixture('request-tools.json'));
    expect(ir.system).toEqual([
      { type: 'text', text: 'You are a weather assistant. Answer briefly.' },
      {
        type: 'text',
        text: 'Reference: station list for the San Francisco Bay Area ...',
        cacheBreakpoint: true,
      },
    ]);
    expect(ir.toolChoice).toEqual({ type: 'auto' });
    expect(ir.parallelToolCalls).toBe(false);
    expect(ir).toMatchObject({ temperature: 0.5, topP: 0.9, topK: 40, maxTokens: 1024, stream: false });
    expect(ir.user).toBe('13803d75-b4b5-4c3e-b2a2-6f21399b021b');
    expect(ir.messages[1]?.content[1]).toEqual({
      type: 'tool_call',
      id: 'toolu_01A09q90qw90lq917835lq9',
      name: 'get_weather',
      arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
    });
    // The tool result learns its tool's name from the earlier tool_use with the same id.
    expect(ir.messages[4]?.content[0]).toEqual({
      type: 'tool_result',
      toolCallId: 'toolu_01B2k3m4n5p6q7r8s9t0uvwx',
      name: 'get_time',
      content: [{ type: 'text', text: 'Error: time zone service unavailable' }],
      isError: true,
    });
  });

  it('decodes the thinking fixture into the IR', () => {
    const ir = decodeRequest(fixture('request-thinking.json'));
    expect(ir.thinkingBudget).toBe(10000);
    expect(ir.stream).toBe(true);
    expect(ir.system).toEqual([
      { type: 'text', text: 'You are a helpful assistant with access to live weather data.' },
    ]);
    const [signed, redacted] = ir.messages[1]?.content ?? [];
    expect(signed).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^BDaL4/) });
    expect(redacted).toEqual({
      type: 'thinking',
      text: '',
      signature: null,
      redacted: expect.stringMatching(/^EmwK/),
    });
  });

  it('normalizes only the documented shorthands', () => {
    const wire = {
      model: 'm',
      max_tokens: 10,
      stream: false,
      system: [{ type: 'text', text: 'one block' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', citations: null }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [], is_error: false }] },
      ],
      thinking: { type: 'disabled' },
      service_tier: 'auto',
    };
    // A single uncached text block becomes the string shorthand, same-role turns merge (tool
    // results first), empty tool results lose their content, false defaults and unknown fields go.
    expect(encodeRequest(decodeRequest(wire))).toEqual({
      model: 'm',
      max_tokens: 10,
      system: 'one block',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't' },
            { type: 'text', text: 'hi' },
          ],
        },
      ],
    });
  });
});

describe('anthropic request: IR -> wire -> IR', () => {
  it('is the identity for a rich request', () => {
    expect(decodeRequest(encodeRequest(RICH_REQUEST))).toEqual(RICH_REQUEST);
  });

  it.each([
    [{ type: 'auto' }, null],
    [{ type: 'auto' }, true],
    [{ type: 'required' }, false],
    [{ type: 'tool', name: 'get_weather' }, null],
    [{ type: 'none' }, null],
  ] as const)('keeps tool choice %j with parallel calls %s', (toolChoice, parallelToolCalls) => {
    const request = baseRequest({ tools: [WEATHER_TOOL], toolChoice, parallelToolCalls });
    expect(decodeRequest(encodeRequest(request))).toEqual(request);
  });
});

describe('anthropic request decoder', () => {
  it('reads string content, custom tools, hints and structured output', () => {
    const ir = decodeRequest(
      {
        messages: [{ role: 'user', content: 'Hello, Claude' }],
        max_tokens: 0,
        tools: [{ type: 'custom', name: 'f', input_schema: { type: 'object' } }],
        output_config: { effort: 'low', format: { type: 'json_schema', schema: { type: 'object' } } },
        metadata: {},
      },
      { model: 'from-url', stream: true },
    );
    expect(ir).toMatchObject({
      model: 'from-url',
      stream: true,
      maxTokens: 0,
      user: null,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello, Claude' }] }],
      tools: [{ name: 'f', description: null, parameters: { type: 'object' } }],
      responseFormat: { type: 'json_schema', name: 'response', schema: { type: 'object' }, strict: true },
    });
  });

  it('reads an empty signature as none and a tool_use without input as no arguments', () => {
    const ir = decodeRequest({
      model: 'm',
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: '' },
            { type: 'tool_use', id: 't', name: 'f' },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'unknown' }] },
      ],
    });
    expect(ir.messages[0]?.content).toEqual([
      { type: 'thinking', text: 'hmm', signature: null },
      { type: 'tool_call', id: 't', name: 'f', arguments: '{}' },
    ]);
    expect(ir.messages[1]?.content[0]).toEqual({
      type: 'tool_result',
      toolCallId: 'unknown',
      name: null,
      content: [],
      isError: false,
    });
  });

  it('keeps a tool_result breakpoint on the result text, where the cached prefix ends', () => {
    const wire = {
      model: 'm',
      max_tokens: 8,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't', content: 'done', cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    };
    const ir = decodeRequest(wire);
    expect(ir.messages[0]?.content[0]).toMatchObject({
      content: [{ type: 'text', text: 'done', cacheBreakpoint: true }],
    });
    expect(encodeRequest(ir).messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't',
            content: [{ type: 'text', text: 'done', cache_control: { type: 'ephemeral' } }],
          },
        ],
      },
    ]);
  });

  it('throws TranslationError, not TypeError, for a non-object body', () => {
    expect(() => decodeRequest('nope')).toThrow(TranslationError);
  });
});
