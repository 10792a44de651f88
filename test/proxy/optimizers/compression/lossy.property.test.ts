import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Conversation, Turn } from '../../../../bench/compression/conversations.ts';
import { render } from '../../../../bench/compression/render.ts';
import { restoreAlternation } from '../../../../proxy/optimizers/compression/alternation.ts';
import { buildTurns } from '../../../../proxy/optimizers/compression/groups.ts';
import {
  compressRequest,
  type CompressibleEndpoint,
  type CompressionOptions,
} from '../../../../proxy/optimizers/compression/index.ts';
import { estimatePromptTokens } from '../../../../proxy/optimizers/tokens.ts';

// Tests poke into deep request shapes; full typing would only restate the fixtures.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const DOC = 'The migration plan moves every tenant to the new cluster in three waves. '.repeat(6);
const text = fc.oneof(
  { weight: 4, arbitrary: fc.lorem({ maxCount: 40, mode: 'words' }) },
  { weight: 1, arbitrary: fc.constant(`Context:\n\n${DOC}`) },
);
let callCounter = 0;
const turn: fc.Arbitrary<Turn> = fc.oneof(
  fc.record({ kind: fc.constantFrom('user' as const, 'assistant' as const), text }),
  fc
    .record({
      text: fc.option(text, { nil: undefined }),
      results: fc.array(text, { minLength: 1, maxLength: 3 }),
    })
    .map(({ text: said, results }): Turn => ({
      kind: 'tools',
      ...(said ? { text: said } : {}),
      calls: results.map(() => ({ id: `call_${++callCounter}`, name: 'lookup', args: { q: 'x' } })),
      results,
    })),
);
const conversation: fc.Arbitrary<Conversation> = fc
  .tuple(text, fc.array(turn, { maxLength: 20 }))
  .map(([task, turns]) => ({
    scenario: 'property',
    system: 'Be brief.',
    tools: [],
    turns: [{ kind: 'user', text: task }, ...turns],
  }));
const options: fc.Arbitrary<CompressionOptions> = fc.record({
  lossless: fc.boolean(),
  lossy: fc.record({
    enabled: fc.constant(true),
    budgetTokens: fc.integer({ min: 50, max: 700 }),
    keepRecentTurns: fc.integer({ min: 0, max: 4 }),
    mode: fc.constantFrom('drop' as const, 'summarize' as const),
  }),
});

function conversationOf(endpoint: CompressibleEndpoint, body: Json): Json[] {
  return endpoint === 'responses' ? body['input'] : body['messages'];
}

function expectChatPairing(messages: Json[]): void {
  messages.forEach((message, index) => {
    if (message['role'] === 'tool') {
      let at = index - 1;
      while (messages[at]?.['role'] === 'tool') at -= 1;
      const ids = (messages[at]?.['tool_calls'] ?? []).map((call: Json) => call['id']);
      expect(ids).toContain(message['tool_call_id']);
    }
    for (const call of message['tool_calls'] ?? []) {
      const results = messages.slice(index + 1).filter((m) => m['tool_call_id'] === call['id']);
      expect(results).toHaveLength(1);
    }
  });
}

function blocks(message: Json | undefined, type: string): Json[] {
  return Array.isArray(message?.['content'])
    ? message['content'].filter((b: Json) => b['type'] === type)
    : [];
}

function expectAnthropicShape(messages: Json[]): void {
  expect(messages[0]?.['role']).toBe('user');
  messages.forEach((message, index) => {
    if (index > 0) expect(message['role']).not.toBe(messages[index - 1]!['role']);
    const uses = blocks(message, 'tool_use').map((b) => b['id']);
    const results = blocks(messages[index + 1], 'tool_result').map((b) => b['tool_use_id']);
    if (uses.length > 0) expect(results.sort()).toEqual([...uses].sort());
    const answered = blocks(message, 'tool_result').map((b) => b['tool_use_id']);
    const asked = blocks(messages[index - 1], 'tool_use').map((b) => b['id']);
    for (const id of answered) expect(asked).toContain(id);
  });
}

function expectResponsesPairing(items: Json[]): void {
  const calls = items.filter((item) => item['type'] === 'function_call').map((item) => item['call_id']);
  const outputs = items
    .filter((item) => item['type'] === 'function_call_output')
    .map((item) => item['call_id']);
  expect(outputs.sort()).toEqual([...calls].sort());
  for (const id of calls) {
    const call = items.findIndex((item) => item['type'] === 'function_call' && item['call_id'] === id);
    const output = items.findIndex(
      (item) => item['type'] === 'function_call_output' && item['call_id'] === id,
    );
    expect(call).toBeLessThan(output);
  }
}

/** Tokens of the request with every droppable turn removed: the least lossy trimming can reach. */
function protectedOnlyTokens(endpoint: CompressibleEndpoint, body: Json, keep: number): number {
  const messages = conversationOf(endpoint, body);
  let kept: unknown[] = buildTurns(endpoint, messages, keep)
    .filter((turn) => turn.protected)
    .flatMap((turn) => messages.slice(turn.start, turn.end));
  if (endpoint === 'messages') kept = restoreAlternation(kept);
  const key = endpoint === 'responses' ? 'input' : 'messages';
  return estimatePromptTokens(endpoint, { ...body, [key]: kept });
}

describe.each<CompressibleEndpoint>(['chat', 'messages', 'responses'])('lossy trimming (%s)', (endpoint) => {
  it('keeps tool pairing, instructions, the task, recent turns and the budget when feasible', () => {
    fc.assert(
      fc.property(conversation, options, (generated, config) => {
        const body = render(generated, endpoint);
        const frozen = structuredClone(body);
        const result = compressRequest(endpoint, body, config);
        expect(body).toEqual(frozen);
        const messages = conversationOf(endpoint, result.body);
        if (endpoint === 'chat') expectChatPairing(messages);
        if (endpoint === 'messages') expectAnthropicShape(messages);
        if (endpoint === 'responses') expectResponsesPairing(messages);
        if (endpoint === 'chat') expect(messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
        if (endpoint === 'messages') expect(result.body['system']).toEqual(body['system']);
        if (endpoint === 'responses') expect(result.body['instructions']).toBe('Be brief.');

        const { keepRecentTurns, budgetTokens, mode } = config.lossy;
        const slack = mode === 'summarize' ? 25 : 0;
        if (protectedOnlyTokens(endpoint, body, keepRecentTurns) + slack <= budgetTokens) {
          expect(result.tokensAfter).toBeLessThanOrEqual(budgetTokens);
        }
        if (config.lossless) return;
        // Without lossless rewrites the kept messages are the originals, object for object.
        const original = conversationOf(endpoint, body);
        const recent = buildTurns(endpoint, original, keepRecentTurns).filter((t) => t.protected);
        for (const turn of recent) {
          for (const message of original.slice(turn.start, turn.end)) {
            const kept =
              messages.includes(message) || (endpoint === 'messages' && message['role'] === 'user');
            expect(kept).toBe(true);
          }
        }
        const task = original.find((m: Json) => m['role'] === 'user')!;
        expect(JSON.stringify(messages)).toContain(JSON.stringify(task['content']).slice(1, -1));
      }),
      { numRuns: 150 },
    );
  });
});
