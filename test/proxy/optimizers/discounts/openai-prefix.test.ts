import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalSchema,
  canonicalTools,
  stabilizePrefix,
} from '../../../../proxy/optimizers/discounts/openai-prefix.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'], type: 'string' } },
      required: ['city'],
    },
  },
};
const search = {
  function: {
    parameters: { required: ['q'], properties: { q: { type: 'string' } }, type: 'object' },
    description: 'Web search',
    name: 'search',
  },
  type: 'function',
};
const messages = [
  { role: 'system', content: 'You are a travel agent.' },
  { role: 'user', content: 'Weather in Paris?' },
];

describe('stabilizePrefix', () => {
  it('gives the same tools in any order and key order the same bytes', () => {
    const a = stabilizePrefix('chat', { model: 'gpt-4o', messages, tools: [weather, search] });
    const reordered = JSON.parse(JSON.stringify({ model: 'gpt-4o', messages, tools: [search, weather] }));
    const b = stabilizePrefix('chat', reordered);
    expect(JSON.stringify(a.body['tools'])).toBe(JSON.stringify(b.body['tools']));
    expect((a.body['tools'] as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual([
      'get_weather',
      'search',
    ]);
  });

  it('keeps the order of JSON Schema properties (it is the order fields are generated in)', () => {
    const schema = {
      type: 'object',
      properties: { reasoning: { type: 'string' }, answer: { type: 'string' } },
    };
    const canonical = canonicalSchema(schema) as { properties: Record<string, unknown> };
    expect(Object.keys(canonical.properties)).toEqual(['reasoning', 'answer']);
    const nested = canonicalSchema({
      properties: { properties: { type: 'object', properties: { z: {}, a: {} } } },
    }) as {
      properties: { properties: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(nested.properties.properties.properties)).toEqual(['z', 'a']);
    expect(Object.keys(nested.properties.properties)).toEqual(['properties', 'type']);
  });

  it('never reorders messages and never mutates the input', () => {
    const body = deepFreeze({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'b' },
        { role: 'assistant', content: 'a' },
      ],
      tools: [search, weather],
    });
    const result = stabilizePrefix('chat', body);
    expect(result.changed).toBe(true);
    expect(result.body['messages']).toBe(body.messages);
    expect(body.tools[0]).toBe(search);
  });

  it('returns the same object when tools are already canonical or absent', () => {
    const first = stabilizePrefix('chat', { model: 'gpt-4o', messages, tools: [weather, search] });
    const again = stabilizePrefix('chat', first.body);
    expect(again.body).toBe(first.body);
    expect(again.changed).toBe(false);
    const bare = { model: 'gpt-4o', messages };
    expect(stabilizePrefix('chat', bare)).toEqual({ body: bare, changed: false });
  });

  it('sorts Responses API tools, including built-in ones, and leaves other endpoints alone', () => {
    const body = {
      model: 'gpt-5',
      input: 'hi',
      tools: [{ type: 'web_search' }, { type: 'function', name: 'lookup', parameters: {} }],
    };
    const result = stabilizePrefix('responses', body);
    expect((result.body['tools'] as Array<{ type: string }>).map((t) => t.type)).toEqual([
      'function',
      'web_search',
    ]);
    const anthropic = { model: 'claude-sonnet-4-5', messages, tools: [{ name: 'z' }, { name: 'a' }] };
    expect(stabilizePrefix('messages', anthropic).body).toBe(anthropic);
  });

  it('sets a prompt_cache_key from the static prefix only when asked and when absent', () => {
    const body = { model: 'gpt-4o', messages, tools: [weather, search] };
    expect(stabilizePrefix('chat', body).body['prompt_cache_key']).toBeUndefined();
    const keyed = stabilizePrefix('chat', body, { cacheKey: true });
    expect(keyed.cacheKey).toMatch(/^apex-[\w-]{24}$/);
    expect(keyed.body['prompt_cache_key']).toBe(keyed.cacheKey);

    // Same static prefix, different question and tool order: same key.
    const other = {
      model: 'gpt-4o',
      messages: [messages[0], { role: 'user', content: 'Rome?' }],
      tools: [search, weather],
    };
    expect(stabilizePrefix('chat', other, { cacheKey: true }).cacheKey).toBe(keyed.cacheKey);
    // Another system prompt or model: another key.
    const otherSystem = { ...body, messages: [{ role: 'system', content: 'You are a chef.' }, messages[1]] };
    expect(stabilizePrefix('chat', otherSystem, { cacheKey: true }).cacheKey).not.toBe(keyed.cacheKey);
    expect(stabilizePrefix('chat', { ...body, model: 'gpt-4.1' }, { cacheKey: true }).cacheKey).not.toBe(
      keyed.cacheKey,
    );

    const clientKey = { ...body, prompt_cache_key: 'mine' };
    expect(stabilizePrefix('chat', clientKey, { cacheKey: true }).body['prompt_cache_key']).toBe('mine');
    const noPrefix = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
    expect(stabilizePrefix('chat', noPrefix, { cacheKey: true })).toEqual({ body: noPrefix, changed: false });
  });

  it('keys Responses requests on instructions and leading developer items', () => {
    const body = { model: 'gpt-5', instructions: 'Be terse.', input: [{ role: 'user', content: 'hi' }] };
    const a = stabilizePrefix('responses', body, { cacheKey: true });
    const b = stabilizePrefix(
      'responses',
      { ...body, input: [{ role: 'user', content: 'bye' }] },
      { cacheKey: true },
    );
    expect(a.cacheKey).toBeDefined();
    expect(a.cacheKey).toBe(b.cacheKey);
    const developer = {
      model: 'gpt-5',
      input: [
        { role: 'developer', content: 'rules' },
        { role: 'user', content: 'hi' },
      ],
    };
    expect(stabilizePrefix('responses', developer, { cacheKey: true }).cacheKey).toBeDefined();
  });
});

describe('canonicalTools', () => {
  it('is order-independent and idempotent for any tool list', () => {
    const toolArb = fc.record({
      type: fc.constant('function'),
      function: fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }), description: fc.string() }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(toolArb, { selector: (t) => t.function.name }), (tools) => {
        const sorted = canonicalTools(tools);
        expect(JSON.stringify(canonicalTools([...tools].reverse()))).toBe(JSON.stringify(sorted));
        expect(JSON.stringify(canonicalTools(sorted))).toBe(JSON.stringify(sorted));
      }),
    );
  });
});
