import { describe, expect, it } from 'vitest';
import { geminiCodec } from '../../../proxy/translate/gemini.ts';
import type { ChatRequest, ToolDefinition } from '../../../proxy/translate/ir.ts';

const hints = { model: 'gemini-2.5-flash' };
const user = (text: string) => ({ role: 'user', parts: [{ text }] });

function decode(extra: Record<string, unknown>): ChatRequest {
  return geminiCodec.decodeRequest({ contents: [user('hi')], ...extra }, hints);
}

const baseRequest: ChatRequest = {
  model: 'gemini-2.5-flash',
  system: [],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  tools: [],
  toolChoice: null,
  parallelToolCalls: null,
  maxTokens: null,
  temperature: null,
  topP: null,
  topK: null,
  stop: [],
  stream: false,
  responseFormat: null,
  thinkingBudget: null,
  user: null,
};

const tool = (name: string): ToolDefinition => ({
  name,
  description: null,
  parameters: { type: 'object', properties: {} },
});
const threeTools = { tools: [{ functionDeclarations: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }] };

describe('gemini request decoding options', () => {
  it('accepts the snake_case spellings of the curl examples', () => {
    const ir = geminiCodec.decodeRequest(
      {
        system_instruction: { parts: [{ text: 'Be brief.' }] },
        contents: [
          {
            parts: [
              { inline_data: { mime_type: 'image/jpeg', data: '/9j/4AAQ' } },
              { text: 'What is this?' },
            ],
          },
        ],
        tools: [
          {
            function_declarations: [
              { name: 'f', parameters_json_schema: { type: 'object', properties: { x: {} } } },
            ],
          },
        ],
        tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['f'] } },
        generation_config: { max_output_tokens: 64, thinking_config: { thinking_budget: 512 } },
      },
      hints,
    );
    expect(ir).toMatchObject({
      system: [{ text: 'Be brief.' }],
      messages: [
        { role: 'user', content: [{ type: 'image', source: { mediaType: 'image/jpeg' } }, { type: 'text' }] },
      ],
      tools: [{ name: 'f', parameters: { type: 'object', properties: { x: {} } } }],
      toolChoice: { type: 'tool', name: 'f' },
      maxTokens: 64,
      thinkingBudget: 512,
    });
  });

  it('takes the model from the body when no hint has it, and streaming from the hint', () => {
    const ir = geminiCodec.decodeRequest(
      { model: 'models/gemini-2.0-flash', contents: [] },
      { stream: true },
    );
    expect(ir).toMatchObject({ model: 'gemini-2.0-flash', stream: true, messages: [] });
  });

  it('accepts a string system instruction and the legacy function role', () => {
    const ir = decode({
      systemInstruction: 'Be kind.',
      contents: [{ role: 'function', parts: [{ text: 'x' }] }],
    });
    expect(ir.system).toEqual([{ type: 'text', text: 'Be kind.' }]);
    expect(ir.messages[0]?.role).toBe('user');
  });

  it.each([
    [{ mode: 'AUTO' }, { type: 'auto' }],
    [{ mode: 'VALIDATED' }, { type: 'auto' }],
    [{ mode: 'NONE' }, { type: 'none' }],
    [{ mode: 'ANY' }, { type: 'required' }],
    [{ mode: 'ANY', allowedFunctionNames: ['a', 'b', 'c'] }, { type: 'required' }],
    [{ mode: 'MODE_UNSPECIFIED' }, null],
    [{}, null],
  ])('maps functionCallingConfig %j', (config, choice) => {
    const ir = decode({ ...threeTools, toolConfig: { functionCallingConfig: config } });
    expect(ir.toolChoice).toEqual(choice);
    expect(ir.tools).toHaveLength(3);
  });

  it('narrows the tools to a subset of several allowed names', () => {
    const ir = decode({
      ...threeTools,
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'c'] } },
    });
    expect(ir.toolChoice).toEqual({ type: 'required' });
    expect(ir.tools.map((t) => t.name)).toEqual(['a', 'c']);
  });

  it.each([
    [{ responseMimeType: 'text/plain' }, { type: 'text' }],
    [{ responseMimeType: 'application/json' }, { type: 'json_object' }],
    [
      {
        responseMimeType: 'application/json',
        responseSchema: { type: 'OBJECT', properties: { n: { type: 'INTEGER', nullable: true } } },
      },
      {
        type: 'json_schema',
        name: 'response',
        strict: false,
        schema: { type: 'object', properties: { n: { type: ['integer', 'null'] } } },
      },
    ],
  ])('maps the response format of %j', (config, format) => {
    expect(decode({ generationConfig: config }).responseFormat).toEqual(format);
  });

  it.each([
    [{ thinkingBudget: 0 }, null],
    [{ thinkingBudget: -1 }, null],
    [{ includeThoughts: true }, null],
    [{ thinkingBudget: 4096, includeThoughts: false }, 4096],
  ])('reads thinkingConfig %j as budget %j', (thinkingConfig, budget) => {
    expect(decode({ generationConfig: { thinkingConfig } }).thinkingBudget).toBe(budget);
  });

  it('accepts one candidate and ignores fields the IR has no room for', () => {
    const ir = decode({
      generationConfig: { candidateCount: 1, seed: 7, presencePenalty: 0.5 },
      safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
    });
    expect(ir).toMatchObject({ maxTokens: null, temperature: null, stop: [] });
  });

  it('skips parts the IR cannot carry and empty text', () => {
    const ir = decode({
      contents: [{ role: 'model', parts: [{ executableCode: { code: 'print(1)' } }, { text: '' }] }],
    });
    expect(ir.messages[0]?.content).toEqual([]);
  });

  it('matches a result by id, and gives an orphan result a fresh id', () => {
    const ir = decode({
      contents: [
        {
          role: 'model',
          parts: [{ functionCall: { name: 'f', id: 'x1' } }, { functionCall: { name: 'f' } }],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'f', id: 'x1', response: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { error: { code: 3 } } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'g', response: { output: 5 } } }] },
      ],
    });
    const results = ir.messages.slice(1).map((m) => m.content[0]);
    expect(results).toMatchObject([
      { toolCallId: 'x1', content: [{ text: '{}' }], isError: false },
      { toolCallId: 'call_1', content: [{ text: '{"code":3}' }], isError: true },
      { toolCallId: 'call_2', content: [{ text: '{"output":5}' }], isError: false },
    ]);
  });
});

describe('gemini request encoding options', () => {
  it('merges neighbouring turns of one role and leaves out empty ones', () => {
    const wire = geminiCodec.encodeRequest({
      ...baseRequest,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        {
          role: 'assistant',
          content: [{ type: 'thinking', text: '', signature: null, redacted: 'b3BhcXVl' }],
        },
        { role: 'user', content: [{ type: 'text', text: 'b', cacheBreakpoint: true }] },
      ],
    });
    expect(wire.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });

  it('drops what Gemini cannot carry: parallel tool calls, user, tool choice without tools', () => {
    const wire = geminiCodec.encodeRequest({
      ...baseRequest,
      parallelToolCalls: false,
      user: 'u-1',
      toolChoice: { type: 'none' },
    });
    expect(wire).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });

  it.each([
    [{ type: 'auto' }, 'AUTO'],
    [{ type: 'none' }, 'NONE'],
    [{ type: 'required' }, 'ANY'],
  ] as const)('encodes tool choice %j as %s', (choice, mode) => {
    const wire = geminiCodec.encodeRequest({ ...baseRequest, tools: [tool('a')], toolChoice: choice });
    expect(wire.toolConfig).toEqual({ functionCallingConfig: { mode } });
  });

  it('encodes text and json_object formats', () => {
    const text = geminiCodec.encodeRequest({ ...baseRequest, responseFormat: { type: 'text' } });
    const json = geminiCodec.encodeRequest({ ...baseRequest, responseFormat: { type: 'json_object' } });
    expect(text.generationConfig).toEqual({ responseMimeType: 'text/plain' });
    expect(json.generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('turns data URLs into inline data and images in tool results into sibling parts', () => {
    const wire = geminiCodec.encodeRequest({
      ...baseRequest,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_call', id: 'toolu_1', name: 'shot', arguments: '' }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              toolCallId: 'toolu_1',
              name: null,
              content: [
                { type: 'text', text: '{"output":"x"}' },
                { type: 'image', source: { kind: 'url', url: 'data:image/gif;base64,R0lGOD' } },
              ],
              isError: false,
            },
          ],
        },
      ],
    });
    expect(wire.contents).toEqual([
      { role: 'model', parts: [{ functionCall: { id: 'toolu_1', name: 'shot', args: {} } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'toolu_1', name: 'shot', response: { output: '{"output":"x"}' } } },
          { inlineData: { mimeType: 'image/gif', data: 'R0lGOD' } },
        ],
      },
    ]);
  });

  it('sends a signature with nothing to fold onto as an empty signed text part', () => {
    const wire = geminiCodec.encodeRequest({
      ...baseRequest,
      messages: [{ role: 'assistant', content: [{ type: 'thinking', text: '', signature: 'c2ln' }] }],
    });
    expect(wire.contents).toEqual([{ role: 'model', parts: [{ text: '', thoughtSignature: 'c2ln' }] }]);
  });
});
