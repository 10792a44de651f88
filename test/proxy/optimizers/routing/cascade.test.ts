import { describe, expect, it } from 'vitest';
import {
  canCascade,
  cascadeConfigSchema,
  cascadePlan,
  escalationSignal,
} from '../../../../proxy/optimizers/routing/cascade.ts';

const chatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
const jsonRequest = { ...chatRequest, response_format: { type: 'json_object' } };

function chat(
  message: Record<string, unknown>,
  finish = 'stop',
  logprobs?: number[],
): Record<string, unknown> {
  const choice: Record<string, unknown> = {
    index: 0,
    message: { role: 'assistant', ...message },
    finish_reason: finish,
  };
  if (logprobs) choice['logprobs'] = { content: logprobs.map((logprob, i) => ({ token: `t${i}`, logprob })) };
  return { id: 'c1', object: 'chat.completion', choices: [choice] };
}

function anthropic(content: unknown[], stop = 'end_turn'): Record<string, unknown> {
  return { id: 'm1', type: 'message', role: 'assistant', content, stop_reason: stop };
}

function responses(output: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'r1', object: 'response', status: 'completed', output, error: null, ...extra };
}

const text = (value: string, logprobs?: number[]): Record<string, unknown> => ({
  type: 'message',
  role: 'assistant',
  content: [
    {
      type: 'output_text',
      text: value,
      ...(logprobs ? { logprobs: logprobs.map((l) => ({ logprob: l })) } : {}),
    },
  ],
});

describe('escalation on upstream status', () => {
  it('escalates rate limits, overload and server errors from the cheap model', () => {
    expect(escalationSignal('chat', 429, null, chatRequest)).toBe('rate_limited');
    expect(
      escalationSignal('messages', 529, { type: 'error', error: { type: 'overloaded_error' } }, {}),
    ).toBe('overloaded');
    expect(
      escalationSignal('messages', 500, { type: 'error', error: { type: 'overloaded_error' } }, {}),
    ).toBe('overloaded');
    expect(escalationSignal('chat', 503, null, chatRequest)).toBe('upstream_error');
  });

  it('escalates a context overflow (the default model may have a larger window) but no other client error', () => {
    const overflow = { error: { code: 'context_length_exceeded', message: 'too long' } };
    expect(escalationSignal('chat', 400, overflow, chatRequest)).toBe('context_length');
    const anthropicOverflow = {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens' },
    };
    expect(escalationSignal('messages', 400, anthropicOverflow, {})).toBe('context_length');
    expect(escalationSignal('chat', 400, { error: { message: 'invalid model' } }, chatRequest)).toBeNull();
    expect(escalationSignal('chat', 401, null, chatRequest)).toBeNull();
  });

  it('escalates a 200 that is not JSON or carries an error', () => {
    expect(escalationSignal('chat', 200, null, chatRequest)).toBe('invalid_response');
    expect(
      escalationSignal(
        'responses',
        200,
        responses([], { status: 'failed', error: { code: 'server_error' } }),
        {},
      ),
    ).toBe('upstream_error');
  });
});

describe('escalation on the answer', () => {
  it('keeps a normal answer', () => {
    expect(
      escalationSignal('chat', 200, chat({ content: 'Hello! How can I help?' }), chatRequest),
    ).toBeNull();
    expect(escalationSignal('messages', 200, anthropic([{ type: 'text', text: 'Hi there' }]), {})).toBeNull();
    expect(escalationSignal('responses', 200, responses([text('Hi')]), {})).toBeNull();
    const completion = { choices: [{ text: ' world', finish_reason: 'stop', logprobs: null }] };
    expect(escalationSignal('completions', 200, completion, { prompt: 'hello' })).toBeNull();
  });

  it('escalates refusals from every API', () => {
    expect(
      escalationSignal('chat', 200, chat({ content: null, refusal: "I can't help with that." }), chatRequest),
    ).toBe('refusal');
    expect(escalationSignal('messages', 200, anthropic([], 'refusal'), {})).toBe('refusal');
    const refused = { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] };
    expect(escalationSignal('responses', 200, responses([refused]), {})).toBe('refusal');
  });

  it('escalates a length stop with little visible output, not one with a long answer or a tiny client cap', () => {
    expect(escalationSignal('chat', 200, chat({ content: '' }, 'length'), chatRequest)).toBe('truncated');
    expect(
      escalationSignal('messages', 200, anthropic([{ type: 'thinking', thinking: '...' }], 'max_tokens'), {
        max_tokens: 1024,
      }),
    ).toBe('truncated');
    const incomplete = responses([{ type: 'reasoning', summary: [] }], {
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(escalationSignal('responses', 200, incomplete, { max_output_tokens: 2000 })).toBe('truncated');
    expect(
      escalationSignal('chat', 200, chat({ content: 'x'.repeat(500) }, 'length'), chatRequest),
    ).toBeNull();
    expect(
      escalationSignal('chat', 200, chat({ content: 'Hi' }, 'length'), { ...chatRequest, max_tokens: 5 }),
    ).toBeNull();
    // Truncated JSON is expected after a length stop on a long answer: not a JSON failure.
    expect(
      escalationSignal('chat', 200, chat({ content: `{"a": "${'x'.repeat(100)}` }, 'length'), jsonRequest),
    ).toBeNull();
  });

  it('escalates empty answers unless the model called a tool', () => {
    expect(escalationSignal('chat', 200, chat({ content: '  ' }), chatRequest)).toBe('empty');
    expect(escalationSignal('messages', 200, anthropic([]), {})).toBe('empty');
    expect(escalationSignal('responses', 200, responses([]), {})).toBe('empty');
    const call = { id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } };
    expect(
      escalationSignal('chat', 200, chat({ content: null, tool_calls: [call] }, 'tool_calls'), chatRequest),
    ).toBeNull();
    expect(
      escalationSignal(
        'messages',
        200,
        anthropic([{ type: 'tool_use', id: 't', name: 'f', input: {} }], 'tool_use'),
        {},
      ),
    ).toBeNull();
    expect(
      escalationSignal(
        'responses',
        200,
        responses([{ type: 'function_call', name: 'f', arguments: '{}' }]),
        {},
      ),
    ).toBeNull();
  });

  it('escalates invalid JSON only when the request asked for JSON', () => {
    expect(escalationSignal('chat', 200, chat({ content: 'Sure! {"a": 1}' }), jsonRequest)).toBe(
      'invalid_json',
    );
    expect(escalationSignal('chat', 200, chat({ content: '{"a": 1}' }), jsonRequest)).toBeNull();
    expect(escalationSignal('chat', 200, chat({ content: 'Sure! {"a": 1}' }), chatRequest)).toBeNull();
    const schema = { text: { format: { type: 'json_schema', name: 'x', schema: {} } } };
    expect(escalationSignal('responses', 200, responses([text('{"a":')]), schema)).toBe('invalid_json');
    const anthropicJson = { output_format: { type: 'json_schema', schema: {} } };
    expect(
      escalationSignal('messages', 200, anthropic([{ type: 'text', text: 'not json' }]), anthropicJson),
    ).toBe('invalid_json');
    expect(
      escalationSignal('messages', 200, anthropic([{ type: 'text', text: '[1,2]' }]), anthropicJson),
    ).toBeNull();
  });

  it('escalates low confidence when logprobs are present over enough tokens', () => {
    const unsure = Array.from({ length: 10 }, () => -2.5);
    const sure = Array.from({ length: 10 }, () => -0.05);
    expect(escalationSignal('chat', 200, chat({ content: 'Maybe 42?' }, 'stop', unsure), chatRequest)).toBe(
      'low_confidence',
    );
    expect(
      escalationSignal('chat', 200, chat({ content: 'It is 42.' }, 'stop', sure), chatRequest),
    ).toBeNull();
    expect(escalationSignal('chat', 200, chat({ content: 'Hm' }, 'stop', [-3, -3]), chatRequest)).toBeNull(); // too few tokens
    expect(escalationSignal('responses', 200, responses([text('Maybe', unsure)]), {})).toBe('low_confidence');
    const completion = {
      choices: [{ text: 'maybe', finish_reason: 'stop', logprobs: { token_logprobs: [null, ...unsure] } }],
    };
    expect(escalationSignal('completions', 200, completion, {})).toBe('low_confidence');
    const lenient = { minMeanLogprob: -3, minVisibleChars: 20 };
    expect(
      escalationSignal('chat', 200, chat({ content: 'Maybe 42?' }, 'stop', unsure), chatRequest, lenient),
    ).toBeNull();
  });
});

describe('cascade plans', () => {
  const config = cascadeConfigSchema.parse({
    chains: [
      ['gpt-4o-mini', 'gpt-4o', 'o3'],
      ['claude-haiku-4-5', 'claude-sonnet-4-5'],
    ],
  });

  it('starts at the model and stops after maxAttempts', () => {
    expect(cascadePlan(config, 'gpt-4o-mini')).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(cascadePlan({ ...config, maxAttempts: 3 }, 'gpt-4o-mini')).toEqual([
      'gpt-4o-mini',
      'gpt-4o',
      'o3',
    ]);
    expect(cascadePlan(config, 'gpt-4o')).toEqual(['gpt-4o', 'o3']);
    expect(cascadePlan(config, 'claude-haiku-4-5')).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
  });

  it('tries a model that is last or in no chain alone', () => {
    expect(cascadePlan(config, 'o3')).toEqual(['o3']);
    expect(cascadePlan(config, 'mistral-large')).toEqual(['mistral-large']);
  });

  it('applies defaults and rejects one-model chains', () => {
    expect(cascadeConfigSchema.parse({})).toEqual({
      chains: [],
      maxAttempts: 2,
      minMeanLogprob: -1,
      minVisibleChars: 20,
    });
    expect(() => cascadeConfigSchema.parse({ chains: [['only-one']] })).toThrow();
  });

  it('never cascades streamed requests', () => {
    expect(canCascade({ stream: true })).toBe(false);
    expect(canCascade({ stream: false })).toBe(true);
    expect(canCascade({})).toBe(true);
  });
});
