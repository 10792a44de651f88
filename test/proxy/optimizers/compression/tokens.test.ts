import { describe, expect, it } from 'vitest';
import {
  estimatePromptTokens,
  estimateTextTokens,
  MESSAGE_OVERHEAD_TOKENS,
  memoizedCounter,
} from '../../../../proxy/optimizers/tokens.ts';

describe('token estimates', () => {
  it('counts o200k_base tokens and treats special-token text as plain text', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('hello world')).toBe(2);
    expect(estimateTextTokens('a <|endoftext|> b')).toBeGreaterThan(3);
  });

  it('sums chat text, tool call arguments, tool results and tool definitions', () => {
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }];
    const base = { messages: [{ role: 'user', content: 'hello world' }] };
    const withTool = {
      messages: [
        ...base.messages,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"paris"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny and warm' },
      ],
      tools,
    };
    expect(estimatePromptTokens('chat', base)).toBe(2 + MESSAGE_OVERHEAD_TOKENS);
    const expected =
      2 +
      estimateTextTokens('lookup') +
      estimateTextTokens('{"q":"paris"}') +
      estimateTextTokens('sunny and warm') +
      3 * MESSAGE_OVERHEAD_TOKENS +
      estimateTextTokens(JSON.stringify(tools));
    expect(estimatePromptTokens('chat', withTool)).toBe(expected);
  });

  it('ignores image, audio and file payloads', () => {
    const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(5000)}` } };
    const body = { messages: [{ role: 'user', content: [{ type: 'text', text: 'hello world' }, image] }] };
    expect(estimatePromptTokens('chat', body)).toBe(2 + MESSAGE_OVERHEAD_TOKENS);
    const anthropic = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(5000) } },
          ],
        },
      ],
    };
    expect(estimatePromptTokens('messages', anthropic)).toBe(MESSAGE_OVERHEAD_TOKENS);
  });

  it('counts Anthropic system blocks, tool_use input and tool_result content', () => {
    const body = {
      system: [{ type: 'text', text: 'hello world', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: { q: 1 } }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'done' }] }],
        },
      ],
    };
    const expected =
      2 +
      estimateTextTokens('hi') +
      estimateTextTokens('f') +
      estimateTextTokens('{"q":1}') +
      estimateTextTokens('done') +
      4 * MESSAGE_OVERHEAD_TOKENS;
    expect(estimatePromptTokens('messages', body)).toBe(expected);
  });

  it('counts Responses instructions, string input and function call items', () => {
    expect(estimatePromptTokens('responses', { instructions: 'hello world', input: 'hi' })).toBe(
      2 + estimateTextTokens('hi') + 2 * MESSAGE_OVERHEAD_TOKENS,
    );
    const items = {
      input: [
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
        { type: 'function_call_output', call_id: 'c1', output: 'result text' },
      ],
    };
    expect(estimatePromptTokens('responses', items)).toBe(
      estimateTextTokens('f') +
        estimateTextTokens('{"a":1}') +
        estimateTextTokens('result text') +
        2 * MESSAGE_OVERHEAD_TOKENS,
    );
  });

  it('memoized counting agrees with direct counting', () => {
    const count = memoizedCounter();
    expect(count('the same text twice')).toBe(estimateTextTokens('the same text twice'));
    expect(count('the same text twice')).toBe(estimateTextTokens('the same text twice'));
  });
});
