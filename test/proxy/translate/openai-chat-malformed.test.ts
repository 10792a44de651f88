/**
 * Malformed or untranslatable input: a TranslationError naming the parameter, never a crash.
 * A table of known-bad requests, then property-based garbage through every decoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TranslationError } from '../../../proxy/translate/ir.ts';
import { openaiChatCodec } from '../../../proxy/translate/openai-chat.ts';

const user = { role: 'user', content: 'hi' };
const base = { model: 'gpt-4.1', messages: [user] };

const BAD_REQUESTS: Array<[string, unknown, string | null]> = [
  ['a non-object body', 'hello', null],
  ['an array body', [base], null],
  ['n > 1', { ...base, n: 2 }, 'n'],
  ['no model', { messages: [user] }, 'model'],
  ['messages not an array', { model: 'm', messages: 'hi' }, 'messages'],
  ['a message that is not an object', { model: 'm', messages: [3] }, 'messages[0]'],
  ['an unknown role', { model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
  [
    'user content of the wrong type',
    { model: 'm', messages: [{ role: 'user', content: 5 }] },
    'messages[0].content',
  ],
  [
    'a user part that is not an object',
    { model: 'm', messages: [{ role: 'user', content: [null] }] },
    'messages[0].content[0]',
  ],
  [
    'a text part without text',
    { model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] },
    'messages[0].content[0].text',
  ],
  [
    'an audio part',
    { model: 'm', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
    'messages[0].content[0].type',
  ],
  [
    'an image without url',
    { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] },
    'messages[0].content[0].image_url.url',
  ],
  [
    'an ftp image',
    {
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }],
    },
    'messages[0].content[0].image_url.url',
  ],
  [
    'a non-base64 data URL',
    {
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: 'data:image/png,abc' }] }],
    },
    'messages[0].content[0].image_url.url',
  ],
  [
    'a system part that is not text',
    { model: 'm', messages: [{ role: 'system', content: [{ type: 'image_url' }] }] },
    'messages[0].content[0]',
  ],
  [
    'a tool message without tool_call_id',
    { model: 'm', messages: [{ role: 'tool', content: 'x' }] },
    'messages[0].tool_call_id',
  ],
  [
    'a function message without name',
    { model: 'm', messages: [{ role: 'function', content: 'x' }] },
    'messages[0].name',
  ],
  [
    'tool_calls not an array',
    { model: 'm', messages: [{ role: 'assistant', tool_calls: {} }] },
    'messages[0].tool_calls',
  ],
  [
    'a tool call that is not an object',
    { model: 'm', messages: [{ role: 'assistant', tool_calls: [1] }] },
    'messages[0].tool_calls[0]',
  ],
  [
    'a custom tool call',
    { model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'custom', custom: {} }] }] },
    'messages[0].tool_calls[0].type',
  ],
  [
    'a tool call without id',
    {
      model: 'm',
      messages: [{ role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f' } }] }],
    },
    'messages[0].tool_calls[0].id',
  ],
  [
    'a tool call without name',
    { model: 'm', messages: [{ role: 'assistant', tool_calls: [{ id: 'a', function: {} }] }] },
    'messages[0].tool_calls[0].function',
  ],
  [
    'a function_call without name',
    { model: 'm', messages: [{ role: 'assistant', function_call: {} }] },
    'messages[0].function_call',
  ],
  ['tools not an array', { ...base, tools: {} }, 'tools'],
  ['a tool that is not an object', { ...base, tools: ['f'] }, 'tools[0]'],
  ['a custom tool', { ...base, tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type'],
  [
    'a function without name',
    { ...base, tools: [{ type: 'function', function: {} }] },
    'tools[0].function.name',
  ],
  [
    'parameters not an object',
    { ...base, functions: [{ name: 'f', parameters: [] }] },
    'functions[0].parameters',
  ],
  ['an unknown tool_choice', { ...base, tool_choice: 'sometimes' }, 'tool_choice'],
  [
    'an allowed_tools choice',
    { ...base, tool_choice: { type: 'allowed_tools', allowed_tools: {} } },
    'tool_choice',
  ],
  ['a function_call naming nothing', { ...base, function_call: {} }, 'function_call'],
  ['a named choice without function', { ...base, tool_choice: { type: 'function' } }, 'tool_choice'],
  ['max_tokens as text', { ...base, max_tokens: '100' }, 'max_tokens'],
  ['a fractional max_completion_tokens', { ...base, max_completion_tokens: 1.5 }, 'max_completion_tokens'],
  ['temperature as text', { ...base, temperature: 'hot' }, 'temperature'],
  ['a non-finite top_p', { ...base, top_p: Number.NaN }, 'top_p'],
  ['stop of numbers', { ...base, stop: [1, 2] }, 'stop'],
  ['stream as text', { ...base, stream: 'yes' }, 'stream'],
  ['parallel_tool_calls as a number', { ...base, parallel_tool_calls: 1 }, 'parallel_tool_calls'],
  ['user as a number', { ...base, user: 7 }, 'user'],
  ['an unknown reasoning_effort', { ...base, reasoning_effort: 'extreme' }, 'reasoning_effort'],
  ['response_format as text', { ...base, response_format: 'json' }, 'response_format'],
  ['an unknown response_format', { ...base, response_format: { type: 'yaml' } }, 'response_format'],
  [
    'a json_schema without name',
    { ...base, response_format: { type: 'json_schema', json_schema: {} } },
    'response_format',
  ],
];

function paramOf(fn: () => unknown): string | null | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TranslationError);
    return (error as TranslationError).param;
  }
  return undefined;
}

describe('malformed requests', () => {
  it.each(BAD_REQUESTS)('rejects %s', (_name, body, param) => {
    expect(paramOf(() => openaiChatCodec.decodeRequest(body))).toBe(param);
  });

  it('accepts n: 1, a null n and a model from the hints', () => {
    expect(openaiChatCodec.decodeRequest({ ...base, n: 1 }).model).toBe('gpt-4.1');
    expect(
      openaiChatCodec.decodeRequest({ messages: [], n: null }, { model: 'hinted', stream: true }),
    ).toMatchObject({
      model: 'hinted',
      stream: true,
    });
  });
});

describe('malformed responses', () => {
  it.each([
    ['a non-object body', null, null],
    ['no choices', { id: 'x' }, 'choices'],
    ['empty choices', { choices: [] }, 'choices'],
    ['a choice without message', { choices: [{ finish_reason: 'stop' }] }, 'choices'],
  ])('rejects %s', (_name, body, param) => {
    expect(paramOf(() => openaiChatCodec.decodeResponse(body))).toBe(param);
  });
});

/** Garbage shaped loosely like a request, so the fuzz reaches past the first checks. */
const part = fc.oneof(
  fc.anything(),
  fc.record({
    type: fc.constantFrom('text', 'image_url', 'refusal', 'file'),
    text: fc.anything(),
    image_url: fc.anything(),
  }),
);
const message = fc.record(
  {
    role: fc.oneof(
      fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'function'),
      fc.anything(),
    ),
    content: fc.oneof(fc.string(), fc.array(part, { maxLength: 3 }), fc.anything()),
    tool_calls: fc.anything(),
    tool_call_id: fc.oneof(fc.string(), fc.anything()),
    function_call: fc.anything(),
    name: fc.anything(),
    refusal: fc.anything(),
  },
  { requiredKeys: ['role'] },
);
const requestLike = fc.record({
  model: fc.oneof(fc.string(), fc.anything()),
  messages: fc.oneof(fc.array(message, { maxLength: 4 }), fc.anything()),
  tools: fc.anything(),
  functions: fc.anything(),
  tool_choice: fc.anything(),
  function_call: fc.anything(),
  stop: fc.anything(),
  reasoning_effort: fc.anything(),
  response_format: fc.anything(),
  n: fc.anything(),
});

function onlyTranslationErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
  }
}

describe('fuzz: garbage never crashes a decoder', () => {
  it('decodeRequest throws only TranslationError, and what it accepts re-encodes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue(), requestLike), (body) => {
        onlyTranslationErrors(() => openaiChatCodec.encodeRequest(openaiChatCodec.decodeRequest(body)));
      }),
      { numRuns: 500 },
    );
  });

  it('decodeResponse throws only TranslationError, and what it accepts re-encodes', () => {
    const choice = fc.record({
      message: fc.anything(),
      finish_reason: fc.anything(),
      stop_reason: fc.anything(),
    });
    const responseLike = fc.record({
      choices: fc.array(choice, { maxLength: 2 }),
      usage: fc.anything(),
      created: fc.anything(),
    });
    fc.assert(
      fc.property(fc.oneof(fc.anything(), responseLike), (body) => {
        onlyTranslationErrors(() => openaiChatCodec.encodeResponse(openaiChatCodec.decodeResponse(body)));
      }),
      { numRuns: 500 },
    );
  });

  it('the stream decoder never throws, whatever the frames', () => {
    const data = fc.oneof(
      fc.string(),
      fc.constant('[DONE]'),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          choices: fc.array(
            fc.record({ index: fc.anything(), delta: fc.anything(), finish_reason: fc.anything() }),
          ),
          usage: fc.anything(),
        })
        .map((v) => JSON.stringify(v)),
    );
    const frame = fc.record({ event: fc.oneof(fc.constant(null), fc.string()), data });
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 12 }), (frames) => {
        const decode = openaiChatCodec.streamDecoder();
        const encode = openaiChatCodec.streamEncoder({ includeUsage: true });
        for (const f of frames) for (const event of decode(f)) encode(event);
      }),
      { numRuns: 300 },
    );
  });
});
