import { describe, expect, it } from 'vitest';
import {
  insertCacheBreakpoints,
  MAX_BREAKPOINTS,
  minCacheableTokens,
} from '../../../../proxy/optimizers/discounts/anthropic-cache.ts';

const estimate = (text: string): number => Math.ceil(text.length / 4);
/** Text the estimator counts as exactly `n` tokens. */
const tokens = (n: number): string => 'abcd'.repeat(n);
const marker = { type: 'ephemeral' };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function tool(name: string, descriptionTokens: number): Record<string, unknown> {
  return { name, description: tokens(descriptionTokens), input_schema: { type: 'object', properties: {} } };
}

/** Cache markers in render order, as "section:index[:block]". */
function markers(body: Record<string, unknown>): string[] {
  const found: string[] = [];
  (body['tools'] as Array<Record<string, unknown>> | undefined)?.forEach(
    (t, i) => t['cache_control'] && found.push(`tools:${i}`),
  );
  const system = body['system'];
  if (Array.isArray(system)) system.forEach((b, i) => b.cache_control && found.push(`system:${i}`));
  (body['messages'] as Array<{ content: unknown }>).forEach((m, i) => {
    if (Array.isArray(m.content))
      m.content.forEach((b, j) => b.cache_control && found.push(`messages:${i}:${j}`));
  });
  return found;
}

const conversation = deepFreeze({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  tools: [tool('search', 600), tool('fetch', 600)],
  system: tokens(1500),
  messages: [
    { role: 'user', content: 'First question' },
    { role: 'assistant', content: [{ type: 'text', text: tokens(200) }] },
    { role: 'user', content: 'Follow-up question' },
  ],
});

describe('minimum cacheable prompt length', () => {
  it('follows the per-model table, newest families first', () => {
    expect(minCacheableTokens('claude-opus-4-5-20251101')).toBe(4096);
    expect(minCacheableTokens('claude-opus-4-6')).toBe(4096);
    expect(minCacheableTokens('claude-haiku-4-5-20251001')).toBe(4096);
    expect(minCacheableTokens('claude-sonnet-4-6')).toBe(2048);
    expect(minCacheableTokens('claude-3-5-haiku-20241022')).toBe(2048);
    expect(minCacheableTokens('claude-3-haiku-20240307')).toBe(2048);
    expect(minCacheableTokens('claude-sonnet-4-5-20250929')).toBe(1024);
    expect(minCacheableTokens('claude-sonnet-4-20250514')).toBe(1024);
    expect(minCacheableTokens('claude-opus-4-1-20250805')).toBe(1024);
    expect(minCacheableTokens('claude-opus-4-20250514')).toBe(1024);
    expect(minCacheableTokens('claude-3-7-sonnet-20250219')).toBe(1024);
    expect(minCacheableTokens('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(1024);
    expect(minCacheableTokens('some-future-model')).toBe(4096);
  });
});

describe('insertCacheBreakpoints', () => {
  it('marks the last tool, the system prompt and the history before the final user turn', () => {
    const result = insertCacheBreakpoints(conversation, 'claude-sonnet-4-5', estimate);
    expect(result.inserted).toBe(3);
    expect(markers(result.body)).toEqual(['tools:1', 'system:0', 'messages:1:0']);
    // The string system prompt becomes a single text block carrying the marker.
    expect(result.body['system']).toEqual([
      { type: 'text', text: conversation.system, cache_control: marker },
    ]);
    expect(result.cachedPrefixTokens).toBeGreaterThan(2900);
    expect(result.reason).toBeUndefined();
  });

  it('never mutates the input and copies only what it changes', () => {
    const result = insertCacheBreakpoints(conversation, 'claude-sonnet-4-5', estimate);
    expect(result.body).not.toBe(conversation);
    expect(markers(conversation)).toEqual([]); // frozen input: any write would have thrown
    const messages = result.body['messages'] as unknown[];
    expect(messages[0]).toBe(conversation.messages[0]);
    expect(messages[2]).toBe(conversation.messages[2]);
    expect((result.body['tools'] as unknown[])[0]).toBe(conversation.tools[0]);
  });

  it('returns the same object when the prefix is below the model minimum', () => {
    const short = deepFreeze({ system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] });
    const result = insertCacheBreakpoints(short, 'claude-sonnet-4-5', estimate);
    expect(result.body).toBe(short);
    expect(result.inserted).toBe(0);
    expect(result.cachedPrefixTokens).toBe(0);
    expect(result.reason).toMatch(/below the 1024-token minimum/);
  });

  it('applies each model its own minimum', () => {
    const body = deepFreeze({ system: tokens(3000), messages: [{ role: 'user', content: 'hi' }] });
    expect(insertCacheBreakpoints(body, 'claude-sonnet-4-5', estimate).inserted).toBe(1);
    expect(insertCacheBreakpoints(body, 'claude-3-5-haiku-20241022', estimate).inserted).toBe(1);
    expect(insertCacheBreakpoints(body, 'claude-opus-4-5', estimate).inserted).toBe(0);
    expect(insertCacheBreakpoints(body, 'claude-haiku-4-5', estimate).inserted).toBe(0);
  });

  it('counts the prefix cumulatively: short tools alone are skipped, tools plus system qualify', () => {
    const body = deepFreeze({
      tools: [tool('a', 500)],
      system: [{ type: 'text', text: tokens(700) }],
      messages: [{ role: 'user', content: 'hi' }],
    });
    const result = insertCacheBreakpoints(body, 'claude-sonnet-4-5', estimate);
    expect(markers(result.body)).toEqual(['system:0']);
    expect(result.cachedPrefixTokens).toBeGreaterThanOrEqual(1200);
  });

  it('keeps client markers, never duplicates them and stays within 4 in total', () => {
    const marked = deepFreeze({
      ...conversation,
      system: [{ type: 'text', text: tokens(1500), cache_control: marker }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a', cache_control: marker }] },
        { role: 'assistant', content: [{ type: 'text', text: tokens(200), cache_control: marker }] },
        { role: 'user', content: 'b' },
      ],
    });
    const result = insertCacheBreakpoints(marked, 'claude-sonnet-4-5', estimate);
    expect(result.inserted).toBe(1);
    expect(markers(result.body)).toEqual(['tools:1', 'system:0', 'messages:0:0', 'messages:1:0']);
    expect(markers(result.body)).toHaveLength(MAX_BREAKPOINTS);

    const full = deepFreeze({
      ...marked,
      tools: [{ ...tool('search', 600), cache_control: marker }, tool('fetch', 600)],
    });
    const none = insertCacheBreakpoints(full, 'claude-sonnet-4-5', estimate);
    expect(none.body).toBe(full);
    expect(none.reason).toMatch(/no free cache breakpoint/);
  });

  it('leaves requests using automatic caching alone', () => {
    const auto = deepFreeze({ ...conversation, cache_control: marker });
    const result = insertCacheBreakpoints(auto, 'claude-sonnet-4-5', estimate);
    expect(result.body).toBe(auto);
    expect(result.reason).toMatch(/automatic caching/);
  });

  it('skips positions that cannot carry a marker (thinking blocks) and requests with no prefix', () => {
    const thinking = deepFreeze({
      system: tokens(10),
      messages: [
        { role: 'user', content: tokens(2000) },
        { role: 'assistant', content: [{ type: 'thinking', thinking: tokens(50), signature: 's' }] },
        { role: 'user', content: 'next' },
      ],
    });
    const result = insertCacheBreakpoints(thinking, 'claude-sonnet-4-5', estimate);
    expect(result.body).toBe(thinking);
    expect(result.reason).toMatch(/below/); // the system block alone is short; the thinking block is never marked

    const bare = deepFreeze({ messages: [{ role: 'user', content: tokens(5000) }] });
    expect(insertCacheBreakpoints(bare, 'claude-sonnet-4-5', estimate).reason).toMatch(/no stable prefix/);
  });

  it('marks tool-use history in agent loops (the final user turn holds tool results)', () => {
    const loop = deepFreeze({
      system: tokens(1200),
      messages: [
        { role: 'user', content: 'Find the file' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'search', input: { q: 'x' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: tokens(300) }] },
      ],
    });
    const result = insertCacheBreakpoints(loop, 'claude-sonnet-4-5', estimate);
    expect(markers(result.body)).toEqual(['system:0', 'messages:1:0']);
  });

  it('keeps 1-hour markers ahead of 5-minute ones', () => {
    const hour = { type: 'ephemeral', ttl: '1h' };
    const lateHour = deepFreeze({
      system: tokens(1500),
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: [{ type: 'text', text: 'c', cache_control: hour }] },
      ],
    });
    const upgraded = insertCacheBreakpoints(lateHour, 'claude-sonnet-4-5', estimate);
    expect((upgraded.body['system'] as Array<Record<string, unknown>>)[0]!['cache_control']).toEqual(hour);

    const earlyFive = deepFreeze({
      system: [{ type: 'text', text: tokens(1500), cache_control: marker }],
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
    });
    const blocked = insertCacheBreakpoints(earlyFive, 'claude-sonnet-4-5', estimate, { ttl: '1h' });
    expect(blocked.body).toBe(earlyFive);
    expect(blocked.reason).toMatch(/TTL order/);
    const fiveMinutes = insertCacheBreakpoints(earlyFive, 'claude-sonnet-4-5', estimate);
    expect(markers(fiveMinutes.body)).toEqual(['system:0', 'messages:1:0']);
  });
});
