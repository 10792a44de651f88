import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import { DEFAULT_MAX_TOKENS } from '../../../proxy/translate/anthropic-request-encode.ts';
import type { ChatMessage } from '../../../proxy/translate/ir.ts';
import { baseRequest, WEATHER_TOOL } from './anthropic-helpers.ts';

const { encodeRequest } = anthropicCodec;

describe('anthropic request encoder', () => {
  it('merges same-role turns and puts tool results first in their user turn', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'a', name: 'w', arguments: '{"c":"Paris"}' }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'b', name: 'w', arguments: '{"c":"Rome"}' }] },
      { role: 'user', content: [{ type: 'text', text: 'Here you go:' }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', toolCallId: 'a', name: 'w', content: [], isError: false }],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', toolCallId: 'b', name: 'w', content: [], isError: false }],
      },
    ];
    expect(encodeRequest(baseRequest({ messages })).messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'a', name: 'w', input: { c: 'Paris' } },
          { type: 'tool_use', id: 'b', name: 'w', input: { c: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a' },
          { type: 'tool_result', tool_use_id: 'b' },
          { type: 'text', text: 'Here you go:' },
        ],
      },
    ]);
  });

  it('drops what the API would refuse: unsigned thinking, empty text, turns left empty', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'Q' }] },
      { role: 'assistant', content: [{ type: 'thinking', text: 'from another provider', signature: null }] },
      { role: 'user', content: [{ type: 'text', text: '' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A' }] },
    ];
    const body = encodeRequest(baseRequest({ messages, system: [{ type: 'text', text: '' }] }));
    expect(body.messages).toEqual([
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'A' },
    ]);
    expect(body).not.toHaveProperty('system');
  });

  it('fills the required max_tokens, leaving room above a thinking budget', () => {
    expect(encodeRequest(baseRequest({ maxTokens: null })).max_tokens).toBe(DEFAULT_MAX_TOKENS);
    const thinking = encodeRequest(baseRequest({ maxTokens: null, thinkingBudget: 10000 }));
    expect(thinking.max_tokens).toBe(10000 + DEFAULT_MAX_TOKENS);
    expect(thinking.thinking).toEqual({ type: 'enabled', budget_tokens: 10000 });
  });

  it('sends a data: URL image as the base64 source it is', () => {
    const messages: ChatMessage[] = [
      {
        role: 'user',
        content: [{ type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBOR' } }],
      },
    ];
    expect(encodeRequest(baseRequest({ messages })).messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } }],
      },
    ]);
  });

  it('treats blank arguments as no arguments and refuses arguments that are not an object', () => {
    const call = (args: string): ChatMessage[] => [
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [{ type: 'tool_call', id: 'x', name: 'f', arguments: args }] },
    ];
    expect(encodeRequest(baseRequest({ messages: call('') })).messages).toContainEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'x', name: 'f', input: {} }],
    });
    for (const bad of ['{"a":', '[1]', '"text"']) {
      expect(() => encodeRequest(baseRequest({ messages: call(bad) }))).toThrow(
        expect.objectContaining({ name: 'TranslationError', param: 'messages' }),
      );
    }
  });

  it('writes tool schemas with the required object type and tool_choice only with tools', () => {
    const noSchema = { name: 'ping', description: null, parameters: {} };
    const body = encodeRequest(baseRequest({ tools: [noSchema], parallelToolCalls: false }));
    expect(body.tools).toEqual([{ name: 'ping', input_schema: { type: 'object' } }]);
    expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    const none = encodeRequest(
      baseRequest({ tools: [WEATHER_TOOL], toolChoice: { type: 'none' }, parallelToolCalls: false }),
    );
    expect(none.tool_choice).toEqual({ type: 'none' });
    const toolless = encodeRequest(baseRequest({ toolChoice: { type: 'required' } }));
    expect(toolless).not.toHaveProperty('tools');
    expect(toolless).not.toHaveProperty('tool_choice');
  });

  it('drops json_object, which has no Anthropic equivalent', () => {
    expect(encodeRequest(baseRequest({ responseFormat: { type: 'json_object' } }))).not.toHaveProperty(
      'output_config',
    );
  });
});
