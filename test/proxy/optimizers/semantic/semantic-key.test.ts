import { describe, expect, it } from 'vitest';
import type { CacheScope } from '../../../../proxy/optimizers/request-key.ts';
import { semanticKey, type SemanticEndpoint } from '../../../../proxy/optimizers/semantic/semantic-key.ts';

const scope: CacheScope = { tenant: 'key-a', api: 'openai', endpoint: 'chat' };
const strict = { allowSampling: false };

function chat(question: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'gpt-4o',
    temperature: 0,
    messages: [
      { role: 'system', content: 'You are the Acme support bot.' },
      { role: 'user', content: question },
    ],
    ...extra,
  };
}

function key(body: Record<string, unknown>, endpoint: SemanticEndpoint = 'chat', s = scope, ns = 'support') {
  return semanticKey(s, ns, endpoint, body, strict);
}

function namespaceOf(body: Record<string, unknown>, endpoint: SemanticEndpoint = 'chat', s = scope): string {
  const result = key(body, endpoint, s);
  if ('reason' in result) throw new Error(result.reason);
  return result.namespaceKey;
}

describe('semantic eligibility guards', () => {
  it('accepts a deterministic text question and returns its text', () => {
    const result = key(chat('  How do I reset my password?  '));
    expect(result).toMatchObject({ queryText: 'How do I reset my password?', namespace: 'support' });
  });

  it('joins text parts of the final message', () => {
    const result = key(
      chat([
        { type: 'text', text: 'Hello' },
        { type: 'text', text: 'world' },
      ]),
    );
    expect(result).toMatchObject({ queryText: 'Hello\nworld' });
  });

  it.each([
    ['several choices', chat('q', { n: 2 }), /several choices/],
    ['sampling', chat('q', { temperature: 0.7 }), /samples/],
    ['sampling by default', { messages: [{ role: 'user', content: 'q' }] }, /samples/],
    ['image', chat([{ type: 'image_url', image_url: { url: 'x' } }]), /image_url content/],
    [
      'audio',
      chat([
        { type: 'text', text: 'hi' },
        { type: 'input_audio', input_audio: {} },
      ]),
      /input_audio/,
    ],
    ['file', chat([{ type: 'file', file: {} }]), /file content/],
    ['empty text', chat('   '), /no text/],
    ['too long', chat('x'.repeat(501)), /longer than 500/],
    [
      'tool result last',
      {
        temperature: 0,
        messages: [
          { role: 'user', content: 'q' },
          { role: 'tool', content: '42', tool_call_id: 't' },
        ],
      },
      /from tool/,
    ],
    [
      'assistant last',
      { temperature: 0, messages: [{ role: 'assistant', content: 'hi' }] },
      /from assistant/,
    ],
    ['no messages', { temperature: 0, messages: [] }, /no messages/],
  ])('refuses %s', (_name, body, reason) => {
    const result = key(body as Record<string, unknown>);
    expect('reason' in result && result.reason).toMatch(reason);
  });

  it('refuses the embeddings endpoint', () => {
    expect(key({ input: 'q', model: 'e' }, 'embeddings')).toEqual({
      reason: expect.stringMatching(/embeddings/),
    });
  });

  it('allows sampled requests only when the caller opts in', () => {
    const body = chat('q', { temperature: 1 });
    expect(semanticKey(scope, 'ns', 'chat', body, { allowSampling: true })).toHaveProperty('queryText', 'q');
    expect(semanticKey(scope, 'ns', 'chat', body, { allowSampling: false })).toHaveProperty('reason');
  });

  it('reads Anthropic messages and refuses tool results and images there', () => {
    const base = { model: 'claude', temperature: 0, system: 'Be brief.' };
    const text = { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi there' }] }] };
    expect(key(text, 'messages')).toHaveProperty('queryText', 'Hi there');
    const tool = {
      ...base,
      messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't' }] }],
    };
    expect(key(tool, 'messages')).toEqual({ reason: expect.stringMatching(/tool_result/) });
    const image = { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: {} }] }] };
    expect(key(image, 'messages')).toEqual({ reason: expect.stringMatching(/image/) });
  });

  it('reads Responses input as a string or as items, and refuses tool outputs', () => {
    const base = { model: 'gpt-4o', temperature: 0, instructions: 'Be brief.' };
    expect(key({ ...base, input: 'Hi' }, 'responses')).toHaveProperty('queryText', 'Hi');
    const items = { ...base, input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }] };
    expect(key(items, 'responses')).toHaveProperty('queryText', 'Hi');
    const output = { ...base, input: [{ type: 'function_call_output', call_id: 'c', output: '1' }] };
    expect(key(output, 'responses')).toEqual({ reason: expect.stringMatching(/function_call_output/) });
    const image = { ...base, input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'x' }] }] };
    expect(key(image, 'responses')).toEqual({ reason: expect.stringMatching(/input_image/) });
  });

  it('reads a single completions prompt and refuses several', () => {
    expect(key({ model: 'm', temperature: 0, prompt: 'Hi' }, 'completions')).toHaveProperty(
      'queryText',
      'Hi',
    );
    expect(key({ model: 'm', temperature: 0, prompt: ['a', 'b'] }, 'completions')).toHaveProperty('reason');
  });
});

describe('semantic namespace isolation', () => {
  const base = namespaceOf(chat('How do I reset my password?'));

  it('shares a namespace when only the final question differs', () => {
    expect(namespaceOf(chat('I forgot my password'))).toBe(base);
    expect(namespaceOf(chat('q', { user: 'someone', metadata: { ticket: '1' } }))).toBe(base);
  });

  it('never shares across tenants, apis or namespace labels', () => {
    expect(namespaceOf(chat('q'), 'chat', { ...scope, tenant: 'key-b' })).not.toBe(base);
    expect(namespaceOf(chat('q'), 'chat', { ...scope, api: 'anthropic' })).not.toBe(base);
    const other = key(chat('q'), 'chat', scope, 'billing');
    expect('namespaceKey' in other && other.namespaceKey).not.toBe(base);
  });

  it('separates system prompts, tools, tool choice, response format, model and sampling', () => {
    const variants = [
      {
        messages: [
          { role: 'system', content: 'You are a pirate.' },
          { role: 'user', content: 'q' },
        ],
      },
      {
        messages: [
          { role: 'developer', content: 'Extra rule.' },
          { role: 'user', content: 'q' },
        ],
      },
      { tools: [{ type: 'function', function: { name: 'lookup' } }] },
      { tool_choice: 'none' },
      { response_format: { type: 'json_object' } },
      { model: 'gpt-4o-mini' },
      { top_p: 0.5 },
      { max_tokens: 10 },
      { stream: true },
    ];
    const keys = variants.map((v) => namespaceOf(chat('q', v)));
    for (const k of keys) expect(k).not.toBe(base);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('separates conversations whose earlier turns differ', () => {
    const convo = (answer: string) => ({
      model: 'gpt-4o',
      temperature: 0,
      messages: [
        { role: 'user', content: 'Which plan am I on?' },
        { role: 'assistant', content: answer },
        { role: 'user', content: 'How much does it cost?' },
      ],
    });
    expect(namespaceOf(convo('Pro'))).not.toBe(namespaceOf(convo('Free')));
    expect(namespaceOf(convo('Pro'))).not.toBe(base);
  });

  it('separates Anthropic system prompts and Responses instructions', () => {
    const msg = (system: string) => ({
      model: 'c',
      temperature: 0,
      system,
      messages: [{ role: 'user', content: 'q' }],
    });
    expect(namespaceOf(msg('A'), 'messages')).not.toBe(namespaceOf(msg('B'), 'messages'));
    const resp = (instructions: string) => ({ model: 'm', temperature: 0, instructions, input: 'q' });
    expect(namespaceOf(resp('A'), 'responses')).not.toBe(namespaceOf(resp('B'), 'responses'));
  });
});
