import { describe, expect, it } from 'vitest';
import {
  OMITTED_PLACEHOLDER,
  restoreAlternation,
} from '../../../../proxy/optimizers/compression/alternation.ts';
import { dedupeConversation } from '../../../../proxy/optimizers/compression/dedupe.ts';
import { buildTurns } from '../../../../proxy/optimizers/compression/groups.ts';
import { compressRequest, type CompressionOptions } from '../../../../proxy/optimizers/compression/index.ts';

// Tests poke into deep request shapes; full typing would only restate the fixtures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const DOC = Array.from(
  { length: 4 },
  (_, i) => `Section ${i}. ${'Tenants move to the new cluster one region at a time. '.repeat(3).trim()}`,
).join('\n\n');
const LOSSLESS: CompressionOptions = {
  lossless: true,
  lossy: { enabled: false, budgetTokens: 0, keepRecentTurns: 0, mode: 'drop' },
};

describe('repeated context', () => {
  it('replaces a whole repeated text with a reference and keeps the first copy', () => {
    const messages = [
      { role: 'user', content: DOC },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: DOC },
    ];
    const out = dedupeConversation('chat', messages) as Json[];
    expect(out[0]).toBe(messages[0]);
    expect(out[2]!['content']).toBe('[identical to the user message #1 above]');
  });

  it('replaces a repeated passage inside a longer text, keeping what is new', () => {
    const messages = [
      { role: 'user', content: `Here is the plan:\n\n${DOC}\n\nThoughts?` },
      { role: 'assistant', content: 'Looks fine.' },
      { role: 'user', content: `Again:\n\n${DOC}\n\nWhat about section 2?` },
    ];
    const out = dedupeConversation('chat', messages) as Json[];
    expect(out[2]!['content']).toBe(
      'Again:\n\n[passage repeated verbatim from the user message #1 above, starting "Section 0. Tenants move to the new cluster one r…"]\n\nWhat about section 2?',
    );
  });

  it('labels repeated tool results and handles Anthropic and Responses shapes', () => {
    const anthropic = [
      { role: 'user', content: 'Read the file twice.' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'read', input: {} }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: DOC, cache_control: { type: 'ephemeral' } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'b', name: 'read', input: {} }] },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: DOC }] }],
      },
    ];
    const out = dedupeConversation('messages', anthropic) as Json[];
    expect(out[2]).toBe(anthropic[2]);
    expect(out[4]!['content'][0]).toEqual({
      type: 'tool_result',
      tool_use_id: 'b',
      content: [{ type: 'text', text: '[identical to the tool result in message #3 above]' }],
    });
    const responses = [
      { type: 'function_call_output', call_id: 'a', output: DOC },
      { role: 'user', content: [{ type: 'input_text', text: DOC }] },
    ];
    expect((dedupeConversation('responses', responses) as Json[])[1]!['content'][0].text).toBe(
      '[identical to the tool result in message #1 above]',
    );
  });

  it('never replaces short texts, near-duplicates or fenced code partially', () => {
    const code = '```python\n' + 'def f(x):\n    return x * 2\n'.repeat(10) + '```';
    const messages = [
      { role: 'user', content: 'Short repeated text.' },
      { role: 'user', content: 'Short repeated text.' },
      { role: 'user', content: DOC },
      {
        role: 'user',
        content: DOC.replace('Section 1.', 'Section one.').replace('Section 3.', 'Section three.'),
      },
      { role: 'user', content: `Old:\n\n${code}` },
      { role: 'user', content: `New:\n\n${code.replace('x * 2\n```', 'x * 3\n```')}` },
    ];
    const out = dedupeConversation('chat', messages) as Json[];
    expect(out).toBe(messages);
  });

  it('is stable on a growing conversation, so provider prompt caches keep hitting', () => {
    const turns: Json[] = [{ role: 'system', content: 'Be   brief.' }];
    let previous: Json[] = [];
    for (let i = 0; i < 8; i += 1) {
      turns.push({ role: 'user', content: i % 3 === 0 ? `${DOC}\n\nQuestion ${i}?` : `Question   ${i}?` });
      turns.push({ role: 'assistant', content: `Answer ${i}.` });
      const out = (compressRequest('chat', { messages: turns }, LOSSLESS).body as Json)['messages'] as Json[];
      expect(out.slice(0, previous.length)).toEqual(previous);
      previous = out;
    }
  });
});

describe('turns and alternation', () => {
  it('keeps tool calls with their results in one turn', () => {
    const chat = [
      { role: 'user', content: 'go' },
      { role: 'assistant', tool_calls: [{ id: '1' }, { id: '2' }] },
      { role: 'tool', tool_call_id: '1' },
      { role: 'tool', tool_call_id: '2' },
      { role: 'assistant', content: 'done' },
    ];
    expect(buildTurns('chat', chat, 0).map((t) => [t.start, t.end, t.protected])).toEqual([
      [0, 1, true],
      [1, 4, false],
      [4, 5, false],
    ]);
    const responses = [
      { role: 'user', content: 'go' },
      { type: 'reasoning', summary: [] },
      { type: 'function_call', call_id: 'a' },
      { type: 'function_call', call_id: 'b' },
      { type: 'function_call_output', call_id: 'a' },
      { role: 'assistant', content: 'partial' },
      { type: 'function_call_output', call_id: 'b' },
      { role: 'user', content: 'next' },
    ];
    expect(buildTurns('responses', responses, 1).map((t) => [t.start, t.end, t.protected])).toEqual([
      [0, 1, true],
      [1, 7, false],
      [7, 8, true],
    ]);
  });

  it('merges adjacent user messages (tool results first) and separates adjacent assistants', () => {
    const out = restoreAlternation([
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'first' },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'x', content: 'r' }] },
      { role: 'assistant', content: 'a' },
      { role: 'assistant', content: 'b' },
    ]) as Json[];
    expect(out.map((m) => m['role'])).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(out[0]!['content'][0].text).toBe(OMITTED_PLACEHOLDER);
    expect(out[2]!['content']).toEqual([
      { type: 'tool_result', tool_use_id: 'x', content: 'r' },
      { type: 'text', text: 'first' },
    ]);
    expect(out[4]!['content'][0].text).toBe(OMITTED_PLACEHOLDER);
  });
});
