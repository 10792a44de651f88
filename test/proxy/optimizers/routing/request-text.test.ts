import { describe, expect, it } from 'vitest';
import {
  contentText,
  extractConversation,
  requestsJson,
} from '../../../../proxy/optimizers/routing/request-text.ts';

describe('extractConversation', () => {
  it('flattens chat messages, keeping system text apart and tool calls as text', () => {
    const conversation = extractConversation('chat', {
      messages: [
        { role: 'developer', content: 'rules' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
        { role: 'assistant', content: null, tool_calls: [{ function: { name: 'f', arguments: '{"q":1}' } }] },
        { role: 'tool', content: 'found' },
        'not a message',
      ],
      tools: [{}, {}],
    });
    expect(conversation.system).toBe('rules');
    expect(conversation.turns.map((t) => t.role)).toEqual(['user', 'assistant', 'tool']);
    expect(conversation.turns[0]!.text).toBe('look');
    expect(conversation.turns[1]!.text).toContain('"q\\":1');
    expect(conversation.toolCount).toBe(2);
  });

  it('treats an Anthropic user turn made only of tool results as the tool speaking', () => {
    const conversation = extractConversation('messages', {
      system: [{ type: 'text', text: 'sys' }],
      messages: [
        { role: 'user', content: 'find it' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: { q: 'x' } }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'ok' }] }],
        },
      ],
    });
    expect(conversation.system).toBe('sys');
    expect(conversation.turns).toEqual([
      { role: 'user', text: 'find it' },
      { role: 'assistant', text: '{"q":"x"}' },
      { role: 'tool', text: 'ok' },
    ]);
  });

  it('reads Responses instructions, message items and function call items', () => {
    const conversation = extractConversation('responses', {
      instructions: 'be terse',
      input: [
        { role: 'system', content: 'more rules' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
        { type: 'function_call', name: 'f', arguments: '{}' },
        { type: 'function_call_output', output: 'done' },
        { type: 'function_call_output', output: { rows: 1 } },
        { type: 'reasoning', summary: [] },
        'plain text item',
      ],
    });
    expect(conversation.system).toBe('be terse\nmore rules');
    expect(conversation.turns).toEqual([
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: '{}' },
      { role: 'tool', text: 'done' },
      { role: 'tool', text: '{"rows":1}' },
      { role: 'user', text: 'plain text item' },
    ]);
  });

  it('reads completion prompts and tolerates missing fields', () => {
    expect(extractConversation('completions', { prompt: 'once upon' }).turns).toEqual([
      { role: 'user', text: 'once upon' },
    ]);
    expect(extractConversation('completions', {}).turns).toEqual([{ role: 'user', text: '' }]);
    expect(extractConversation('messages', { messages: 'nope' })).toEqual({
      system: '',
      turns: [],
      toolCount: 0,
    });
    expect(extractConversation('responses', {})).toEqual({ system: '', turns: [], toolCount: 0 });
  });
});

describe('contentText and requestsJson', () => {
  it('joins text parts and ignores non-text ones', () => {
    expect(contentText(['a', { type: 'text', text: 'b' }, { type: 'image' }, 3])).toBe('a\nb');
    expect(contentText(null)).toBe('');
  });

  it('detects JSON output requests per API', () => {
    expect(requestsJson('chat', { response_format: { type: 'json_object' } })).toBe(true);
    expect(requestsJson('chat', { response_format: { type: 'text' } })).toBe(false);
    expect(requestsJson('responses', { text: { format: { type: 'json_schema' } } })).toBe(true);
    expect(requestsJson('responses', { text: { verbosity: 'low' } })).toBe(false);
    expect(requestsJson('messages', { output_config: { format: { type: 'json_schema' } } })).toBe(true);
    expect(requestsJson('messages', {})).toBe(false);
  });
});
