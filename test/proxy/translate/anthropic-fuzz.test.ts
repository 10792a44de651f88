import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../proxy/translate/anthropic.ts';
import { TranslationError } from '../../../proxy/translate/ir.ts';
import type { StreamEvent } from '../../../proxy/translate/ir.ts';
import { fixture } from './anthropic-helpers.ts';

const user = [{ role: 'user', content: 'hi' }];
const valid = { model: 'claude-sonnet-4-5-20250929', max_tokens: 16, messages: user };

/** Runs fn; a TranslationError is an acceptable answer to garbage, any other throw is a bug. */
function translationErrorOrValue(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TranslationError);
  }
}

describe('anthropic decoder refuses malformed requests with the right param', () => {
  it.each([
    ['model missing', { max_tokens: 1, messages: user }, 'model'],
    ['messages not an array', { ...valid, messages: 'hi' }, 'messages'],
    ['message not an object', { ...valid, messages: [null] }, 'messages'],
    ['system role message', { ...valid, messages: [{ role: 'system', content: 'x' }] }, 'messages'],
    ['content a number', { ...valid, messages: [{ role: 'user', content: 3 }] }, 'messages'],
    ['block not an object', { ...valid, messages: [{ role: 'user', content: [7] }] }, 'messages'],
    [
      'document block',
      { ...valid, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
      'messages',
    ],
    [
      'text without text',
      { ...valid, messages: [{ role: 'user', content: [{ type: 'text' }] }] },
      'messages',
    ],
    [
      'file image source',
      {
        ...valid,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }],
      },
      'messages',
    ],
    [
      'image without source',
      { ...valid, messages: [{ role: 'user', content: [{ type: 'image' }] }] },
      'messages',
    ],
    [
      'tool_use with array input',
      {
        ...valid,
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: [1] }] }],
      },
      'messages',
    ],
    [
      'tool_result without id',
      { ...valid, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] },
      'messages',
    ],
    [
      'tool_result content a number',
      {
        ...valid,
        messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 1 }] }],
      },
      'messages',
    ],
    [
      'tool_result with a document',
      {
        ...valid,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'document' }] }],
          },
        ],
      },
      'messages',
    ],
    [
      'thinking without text',
      { ...valid, messages: [{ role: 'assistant', content: [{ type: 'thinking' }] }] },
      'messages',
    ],
    [
      'redacted without data',
      { ...valid, messages: [{ role: 'assistant', content: [{ type: 'redacted_thinking' }] }] },
      'messages',
    ],
    ['system a number', { ...valid, system: 5 }, 'system'],
    ['system image block', { ...valid, system: [{ type: 'image' }] }, 'system'],
    ['tools not an array', { ...valid, tools: {} }, 'tools'],
    ['tool not an object', { ...valid, tools: ['f'] }, 'tools'],
    [
      'server tool',
      { ...valid, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] },
      'tools',
    ],
    ['tool without name', { ...valid, tools: [{ input_schema: { type: 'object' } }] }, 'tools'],
    ['tool without schema', { ...valid, tools: [{ name: 'f' }] }, 'tools'],
    ['tool_choice a string', { ...valid, tool_choice: 'auto' }, 'tool_choice'],
    ['tool_choice unknown type', { ...valid, tool_choice: { type: 'function' } }, 'tool_choice'],
    ['tool_choice tool without name', { ...valid, tool_choice: { type: 'tool' } }, 'tool_choice'],
    ['max_tokens negative', { ...valid, max_tokens: -1 }, 'max_tokens'],
    ['max_tokens fractional', { ...valid, max_tokens: 1.5 }, 'max_tokens'],
    ['temperature a string', { ...valid, temperature: 'hot' }, 'temperature'],
    ['top_p infinite', { ...valid, top_p: Infinity }, 'top_p'],
    ['top_k fractional', { ...valid, top_k: 0.5 }, 'top_k'],
    ['stop_sequences a string', { ...valid, stop_sequences: 'STOP' }, 'stop_sequences'],
    ['stop_sequences with a number', { ...valid, stop_sequences: ['a', 1] }, 'stop_sequences'],
    ['stream a string', { ...valid, stream: 'yes' }, 'stream'],
    ['metadata a string', { ...valid, metadata: 'u' }, 'metadata'],
    ['user_id a number', { ...valid, metadata: { user_id: 7 } }, 'metadata'],
    ['thinking a string', { ...valid, thinking: 'on' }, 'thinking'],
    ['adaptive thinking', { ...valid, thinking: { type: 'adaptive' } }, 'thinking'],
    ['thinking without budget', { ...valid, thinking: { type: 'enabled' } }, 'thinking'],
    ['output_config a string', { ...valid, output_config: 'json' }, 'output_config'],
    [
      'output format without schema',
      { ...valid, output_config: { format: { type: 'json_schema' } } },
      'output_config',
    ],
    // Wire values that name Object.prototype members or cannot be turned into strings.
    [
      'block type constructor',
      { ...valid, messages: [{ role: 'user', content: [{ type: 'constructor' }] }] },
      'messages',
    ],
    [
      'block type toString',
      { ...valid, messages: [{ role: 'user', content: [{ type: 'toString' }] }] },
      'messages',
    ],
    [
      'block type not stringifiable',
      {
        ...valid,
        messages: [{ role: 'user', content: JSON.parse('[{"type":{"toString":1,"valueOf":1}}]') }],
      },
      'messages',
    ],
    [
      'tool type not stringifiable',
      { ...valid, tools: JSON.parse('[{"type":{"toString":1},"name":"f"}]') },
      'tools',
    ],
    ['thinking type array', { ...valid, thinking: { type: [] } }, 'thinking'],
    ['thinking type null', { ...valid, thinking: { type: null } }, 'thinking'],
  ])('%s', (_label, body, param) => {
    let thrown: unknown;
    try {
      anthropicCodec.decodeRequest(body);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TranslationError);
    expect((thrown as TranslationError).param).toBe(param);
  });

  it.each([null, 42, 'text', [], { type: 'error', error: { type: 'api_error' } }, { type: 'message' }])(
    'refuses %j as a response',
    (body) => {
      expect(() => anthropicCodec.decodeResponse(body)).toThrow(TranslationError);
    },
  );
});

/** Replaces the value at one random path of a fixture with garbage. */
function mutate(value: unknown, path: number[], garbage: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return garbage;
  const entries = Object.entries(value);
  if (entries.length === 0) return garbage;
  const [head = 0, ...rest] = path;
  const [key, child] = entries[head % entries.length]!;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  (copy as Record<string, unknown>)[key] = mutate(child, rest, garbage);
  return copy;
}

const path = fc.array(fc.nat(), { maxLength: 6 });

describe('anthropic codec reads prototype names as unknown values', () => {
  it('in responses and streams', () => {
    const response = { type: 'message', content: [{ type: 'constructor' }], stop_reason: 'constructor' };
    expect(anthropicCodec.decodeResponse(response)).toMatchObject({ content: [], stopReason: 'end_turn' });
    const decode = anthropicCodec.streamDecoder();
    expect(decode({ event: 'constructor', data: '{"type":"constructor"}' })).toEqual([]);
    expect(
      decode({ event: 'error', data: '{"type":"error","error":{"type":"toString","message":"m"}}' }),
    ).toEqual([{ type: 'error', status: 500, message: 'm' }]);
  });
});

describe('anthropic codec never crashes on garbage', () => {
  it('decodeRequest answers arbitrary JSON with a request or a TranslationError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) =>
        translationErrorOrValue(() => anthropicCodec.decodeRequest(body)),
      ),
      { numRuns: 300 },
    );
  });

  it('decodeRequest survives any one field of a rich request being garbage, and re-encodes what it accepts', () => {
    const rich = [fixture('request-tools.json'), fixture('request-thinking.json')];
    fc.assert(
      fc.property(fc.constantFrom(...rich), path, fc.anything(), (body, at, garbage) =>
        translationErrorOrValue(() =>
          anthropicCodec.encodeRequest(anthropicCodec.decodeRequest(mutate(body, at, garbage))),
        ),
      ),
      { numRuns: 500 },
    );
  });

  it('decodeResponse survives garbage in any field of a response', () => {
    const responses = ['response-text.json', 'response-tool-use.json', 'response-thinking.json'].map(fixture);
    fc.assert(
      fc.property(fc.constantFrom(...responses), path, fc.anything(), (body, at, garbage) =>
        translationErrorOrValue(() =>
          anthropicCodec.encodeResponse(anthropicCodec.decodeResponse(mutate(body, at, garbage))),
        ),
      ),
      { numRuns: 500 },
    );
  });

  it('the stream decoder never throws on arbitrary frames', () => {
    const frame = fc.record({
      event: fc.option(
        fc.constantFrom('message_start', 'content_block_start', 'content_block_delta', 'error', 'x'),
      ),
      data: fc.oneof(
        fc.string(),
        fc.json(),
        fc.jsonValue().map((v) => JSON.stringify(v)),
      ),
    });
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 30 }), (frames) => {
        const decode = anthropicCodec.streamDecoder();
        for (const f of frames) expect(Array.isArray(decode(f))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('the stream encoder writes parseable frames for any event order', () => {
    const index = fc.nat({ max: 4 });
    const event: fc.Arbitrary<StreamEvent> = fc.oneof(
      fc.record({
        type: fc.constant('start' as const),
        id: fc.string(),
        model: fc.string(),
        created: fc.nat(),
      }),
      fc.record({ type: fc.constant('text_delta' as const), index, text: fc.string() }),
      fc.record({ type: fc.constant('thinking_delta' as const), index, text: fc.string() }),
      fc.record({ type: fc.constant('thinking_signature' as const), index, signature: fc.string() }),
      fc.record({ type: fc.constant('tool_call_start' as const), index, id: fc.string(), name: fc.string() }),
      fc.record({ type: fc.constant('tool_call_delta' as const), index, arguments: fc.string() }),
      fc.record({ type: fc.constant('block_stop' as const), index }),
      fc.record({
        type: fc.constant('usage' as const),
        usage: fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() }),
      }),
      fc.record({
        type: fc.constant('finish' as const),
        stopReason: fc.constantFrom('end_turn', 'max_tokens', 'tool_use', 'content_filter' as const),
        stopSequence: fc.constant(null),
      }),
      fc.constant({ type: 'end' as const }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const encode = anthropicCodec.streamEncoder();
        const frames = events.flatMap((e) => encode(e));
        for (const f of frames) expect(JSON.parse(f.data)).toMatchObject({ type: f.event });
        // Whatever the IR order, the wire never has two blocks open at once.
        let open = false;
        for (const f of frames) {
          if (f.event === 'content_block_start') expect((open = !open)).toBe(true);
          if (f.event === 'content_block_stop') expect((open = !open)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
