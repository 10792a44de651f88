import { describe, expect, it } from 'vitest';
import { compressRequest, type CompressionOptions } from '../../../../proxy/optimizers/compression/index.ts';

// Tests poke into deep request shapes; full typing would only restate the fixtures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const LOSSLESS: CompressionOptions = {
  lossless: true,
  lossy: { enabled: false, budgetTokens: 4000, keepRecentTurns: 4, mode: 'drop' },
};
const PRETTY = JSON.stringify(
  {
    id: 1,
    items: [
      { name: 'a', price: 1.5 },
      { name: 'b', price: 2 },
    ],
  },
  null,
  2,
);

describe('compressRequest (lossless)', () => {
  it('returns the same object and changed:false for already-compact requests in every format', () => {
    const chat = {
      model: 'm',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi there.' },
      ],
    };
    const messages = {
      model: 'm',
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi.' }] }],
    };
    const responses = { model: 'm', instructions: 'Be brief.', input: [{ role: 'user', content: 'Hi.' }] };
    for (const [endpoint, body] of [
      ['chat', chat],
      ['messages', messages],
      ['responses', responses],
    ] as const) {
      const result = compressRequest(endpoint, body, LOSSLESS);
      expect(result.changed).toBe(false);
      expect(result.body).toBe(body);
      expect(result.steps).toEqual([]);
      expect(result.tokensAfter).toBe(result.tokensBefore);
    }
  });

  it('compacts chat text, tool results and schemas without mutating the input', () => {
    const body: Json = {
      messages: [
        { role: 'system', content: 'Rules:   be brief.   \n\n\n\nAlways cite.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Check  this.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{ "a": 1 }' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: PRETTY },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { $schema: 'x', type: 'object' } } }],
    };
    const snapshot = structuredClone(body);
    const result = compressRequest('chat', body, LOSSLESS);
    expect(body).toEqual(snapshot);
    expect(result.steps).toEqual(['whitespace', 'json-minify', 'tool-schema']);
    const out = result.body as Json;
    expect(out['messages'][0].content).toBe('Rules: be brief.\n\nAlways cite.');
    expect(out['messages'][1].content[0].text).toBe('Check this.');
    expect(out['messages'][1].content[1]).toBe(body['messages'][1].content[1]); // the image part, untouched
    expect(out['messages'][2]).toBe(body['messages'][2]); // tool call arguments are left as sent
    expect(out['messages'][3].content).toBe(JSON.stringify(JSON.parse(PRETTY)));
    expect(out['tools'][0].function.parameters).toEqual({ type: 'object' });
    expect(result.tokensAfter).toBeLessThan(result.tokensBefore);
  });

  it('keeps cache_control on its block and never touches images, documents or thinking', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } };
    const document = {
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data: 'a   b\n\n\n\nc' },
    };
    const thinking = { type: 'thinking', thinking: 'hmm   ok\n\n\n\n', signature: 'sig' };
    const body: Json = {
      system: [{ type: 'text', text: 'System   prompt.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            image,
            document,
            { type: 'text', text: 'Look   here.', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
        {
          role: 'assistant',
          content: [thinking, { type: 'tool_use', id: 't1', name: 'f', input: { q: 'a   b' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: PRETTY, cache_control: { type: 'ephemeral' } },
          ],
        },
      ],
    };
    const out = compressRequest('messages', body, LOSSLESS).body as Json;
    expect(out['system']).toEqual([
      { type: 'text', text: 'System prompt.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(out['messages'][0].content[0]).toBe(image);
    expect(out['messages'][0].content[1]).toBe(document);
    expect(out['messages'][0].content[2]).toEqual({
      type: 'text',
      text: 'Look here.',
      cache_control: { type: 'ephemeral', ttl: '1h' },
    });
    expect(out['messages'][1]).toBe(body['messages'][1]);
    expect(out['messages'][2].content[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(out['messages'][2].content[0].content).toBe(JSON.stringify(JSON.parse(PRETTY)));
  });

  it('leaves an assistant prefill exactly as sent', () => {
    const body = {
      messages: [
        { role: 'user', content: 'Write  JSON.' },
        { role: 'assistant', content: '{\n  "a":' },
      ],
    };
    const out = compressRequest('messages', body, LOSSLESS).body as Json;
    expect(out['messages'][1]).toBe(body.messages[1]);
    expect(out['messages'][0].content).toBe('Write JSON.');
  });

  it('compacts Responses instructions, message parts and function outputs, not input files', () => {
    const file = { type: 'input_file', file_data: 'a   b', filename: 'x.txt' };
    const body = {
      instructions: 'Be   brief.',
      input: [
        { role: 'user', content: [{ type: 'input_text', text: 'Hello   there.' }, file] },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: PRETTY },
      ],
    };
    const out = compressRequest('responses', body, LOSSLESS).body as Json;
    expect(out['instructions']).toBe('Be brief.');
    expect(out['input'][0].content).toEqual([{ type: 'input_text', text: 'Hello there.' }, file]);
    expect(out['input'][0].content[1]).toBe(file);
    expect(out['input'][2].output).toBe(JSON.stringify(JSON.parse(PRETTY)));
  });

  it('does nothing at all when lossless and lossy are both off', () => {
    const body = { messages: [{ role: 'user', content: 'a   b\n\n\n\nc' }] };
    const result = compressRequest('chat', body, { ...LOSSLESS, lossless: false });
    expect(result.body).toBe(body);
    expect(result.changed).toBe(false);
  });
});

describe('compressRequest (lossy)', () => {
  const paragraph = (i: number) =>
    `Turn ${i}: ${'the quarterly numbers look fine and the plan stays on track. '.repeat(8).trim()}`;
  const long = (turns: number) => ({
    messages: [
      { role: 'system', content: 'You are terse.' },
      ...Array.from({ length: turns }, (_, i) => ({
        role: i % 2 === 0 ? 'user' : 'assistant',
        content: paragraph(i),
      })),
    ],
  });

  it('drops the oldest turns until under budget and reports it', () => {
    const body = long(20);
    const result = compressRequest('chat', body, {
      lossless: true,
      lossy: { enabled: true, budgetTokens: 600, keepRecentTurns: 2, mode: 'drop' },
    });
    const messages = (result.body as Json)['messages'] as Json[];
    expect(result.tokensAfter).toBeLessThanOrEqual(600);
    expect(result.steps.at(-1)).toMatch(/^drop-turns:\d+$/);
    expect(messages[0]).toEqual(body.messages[0]);
    expect(messages[1]).toEqual(body.messages[1]); // the task statement
    expect(messages.slice(-2)).toEqual(body.messages.slice(-2));
  });

  it('condenses old turns into an extractive note in summarize mode', () => {
    const result = compressRequest('chat', long(20), {
      lossless: true,
      lossy: { enabled: true, budgetTokens: 800, keepRecentTurns: 2, mode: 'summarize' },
    });
    const messages = (result.body as Json)['messages'] as Json[];
    const note = messages[2]!;
    expect(note.role).toBe('user');
    expect(note.content).toMatch(
      /^\[\d+ earlier turns condensed by Apex\]\n- assistant: Turn 1: the quarterly numbers look fine and the plan stays on track\./,
    );
    expect(result.steps.at(-1)).toMatch(/^condense-turns:\d+$/);
    expect(result.tokensAfter).toBeLessThanOrEqual(800);
  });

  it('leaves a prompt under budget alone', () => {
    const body = long(2);
    const result = compressRequest('chat', body, {
      lossless: false,
      lossy: { enabled: true, budgetTokens: 4000, keepRecentTurns: 1, mode: 'drop' },
    });
    expect(result.body).toBe(body);
  });

  it('restores a repeated document in full when its first copy is dropped', () => {
    const doc = 'Spec: every tenant moves to the new cluster in three waves, one region at a time. '.repeat(
      5,
    );
    const body = {
      messages: [
        { role: 'user', content: 'Help me plan.' },
        { role: 'assistant', content: paragraph(1) },
        { role: 'user', content: doc },
        { role: 'assistant', content: paragraph(3) },
        { role: 'user', content: paragraph(4) },
        { role: 'assistant', content: paragraph(5) },
        { role: 'user', content: doc },
      ],
    };
    const lossless = compressRequest('chat', body, LOSSLESS);
    expect((lossless.body as Json)['messages'][6].content).toBe('[identical to the user message #3 above]');
    const trimmed = compressRequest('chat', body, {
      lossless: true,
      lossy: { enabled: true, budgetTokens: 250, keepRecentTurns: 1, mode: 'drop' },
    });
    const messages = (trimmed.body as Json)['messages'] as Json[];
    expect(messages.some((m) => String(m['content']).includes('identical to'))).toBe(false);
    expect(messages.at(-1)!['content']).toBe(doc.trimEnd());
  });
});
