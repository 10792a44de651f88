import { describe, expect, it } from 'vitest';
import { geminiCodec } from '../../../proxy/translate/gemini.ts';
import { TranslationError } from '../../../proxy/translate/ir.ts';
import type { ChatRequest } from '../../../proxy/translate/ir.ts';

const hints = { model: 'gemini-2.5-flash' };
const ok = { role: 'user', parts: [{ text: 'hi' }] };

function paramOf(run: () => unknown): string | null | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TranslationError);
    return (error as TranslationError).param;
  }
  throw new Error('expected a TranslationError');
}

const part = (p: unknown) => ({ contents: [{ role: 'user', parts: [p] }] });
const config = (c: unknown) => ({ contents: [ok], generationConfig: c });

const badRequests: Array<[string, unknown, string | null]> = [
  ['a non-object body', 'hello', null],
  ['missing contents', {}, 'contents'],
  ['a non-object content', { contents: [42] }, 'contents[0]'],
  ['an unknown role', { contents: [{ role: 'system', parts: [] }] }, 'contents[0].role'],
  ['parts that are not an array', { contents: [{ role: 'user', parts: {} }] }, 'contents[0].parts'],
  ['a non-object part', part(7), 'contents[0].parts[0]'],
  ['non-string text', part({ text: 3 }), 'contents[0].parts[0].text'],
  [
    'audio inline data',
    part({ inlineData: { mimeType: 'audio/wav', data: 'UklG' } }),
    'contents[0].parts[0].inlineData.mimeType',
  ],
  [
    'inline data without bytes',
    part({ inlineData: { mimeType: 'image/png' } }),
    'contents[0].parts[0].inlineData.data',
  ],
  ['non-object inline data', part({ inlineData: 'x' }), 'contents[0].parts[0].inlineData'],
  [
    'a PDF file',
    part({ fileData: { mimeType: 'application/pdf', fileUri: 'gs://b/f.pdf' } }),
    'contents[0].parts[0].fileData.mimeType',
  ],
  [
    'a file without uri',
    part({ fileData: { mimeType: 'image/png' } }),
    'contents[0].parts[0].fileData.fileUri',
  ],
  ['non-object file data', part({ fileData: 1 }), 'contents[0].parts[0].fileData'],
  ['a call without name', part({ functionCall: { args: {} } }), 'contents[0].parts[0].functionCall.name'],
  ['a non-object call', part({ functionCall: [] }), 'contents[0].parts[0].functionCall'],
  [
    'call args that are an array',
    part({ functionCall: { name: 'f', args: [1] } }),
    'contents[0].parts[0].functionCall.args',
  ],
  [
    'a response without name',
    part({ functionResponse: { response: {} } }),
    'contents[0].parts[0].functionResponse.name',
  ],
  ['a non-object response', part({ functionResponse: 'x' }), 'contents[0].parts[0].functionResponse'],
  [
    'a string response body',
    part({ functionResponse: { name: 'f', response: 'ok' } }),
    'contents[0].parts[0].functionResponse.response',
  ],
  [
    'a system instruction with an image',
    {
      contents: [ok],
      systemInstruction: { parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBO' } }] },
    },
    'systemInstruction.parts[0]',
  ],
  ['a numeric system instruction', { contents: [ok], systemInstruction: 5 }, 'systemInstruction'],
  ['tools that are not an array', { contents: [ok], tools: {} }, 'tools'],
  ['a non-object tool', { contents: [ok], tools: [1] }, 'tools[0]'],
  ['Google Search', { contents: [ok], tools: [{ googleSearch: {} }] }, 'tools[0].googleSearch'],
  ['code execution', { contents: [ok], tools: [{ code_execution: {} }] }, 'tools[0].codeExecution'],
  [
    'declarations not an array',
    { contents: [ok], tools: [{ functionDeclarations: {} }] },
    'tools[0].functionDeclarations',
  ],
  [
    'a non-object declaration',
    { contents: [ok], tools: [{ functionDeclarations: [1] }] },
    'tools[0].functionDeclarations[0]',
  ],
  [
    'a declaration without name',
    { contents: [ok], tools: [{ functionDeclarations: [{}] }] },
    'tools[0].functionDeclarations[0].name',
  ],
  [
    'string parameters',
    { contents: [ok], tools: [{ functionDeclarations: [{ name: 'f', parameters: 'x' }] }] },
    'tools[0].functionDeclarations[0].parameters',
  ],
  ['a non-object toolConfig', { contents: [ok], toolConfig: 3 }, 'toolConfig'],
  ['a non-object calling config', { contents: [ok], toolConfig: { functionCallingConfig: 3 } }, 'toolConfig'],
  [
    'an unknown mode',
    { contents: [ok], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } },
    'toolConfig.functionCallingConfig.mode',
  ],
  [
    'allowed names that are not strings',
    { contents: [ok], toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [1] } } },
    'toolConfig.functionCallingConfig.allowedFunctionNames',
  ],
  ['a non-object generationConfig', config([]), 'generationConfig'],
  ['two candidates', config({ candidateCount: 2 }), 'generationConfig.candidateCount'],
  ['zero max tokens', config({ maxOutputTokens: 0 }), 'generationConfig.maxOutputTokens'],
  ['fractional max tokens', config({ maxOutputTokens: 1.5 }), 'generationConfig.maxOutputTokens'],
  ['a text temperature', config({ temperature: 'hot' }), 'generationConfig.temperature'],
  ['a string stop sequence', config({ stopSequences: 'END' }), 'generationConfig.stopSequences'],
  ['enum output', config({ responseMimeType: 'text/x.enum' }), 'generationConfig.responseMimeType'],
  [
    'a thinking budget below -1',
    config({ thinkingConfig: { thinkingBudget: -2 } }),
    'generationConfig.thinkingConfig.thinkingBudget',
  ],
  ['a non-object thinkingConfig', config({ thinkingConfig: true }), 'generationConfig.thinkingConfig'],
];

describe('gemini malformed requests', () => {
  it.each(badRequests)('refuses %s', (_name, body, param) => {
    expect(paramOf(() => geminiCodec.decodeRequest(body, hints))).toBe(param);
  });

  it('refuses a request with no model anywhere', () => {
    expect(paramOf(() => geminiCodec.decodeRequest({ contents: [ok] }))).toBe('model');
  });
});

const base: ChatRequest = geminiCodec.decodeRequest({ contents: [ok] }, hints);

describe('gemini requests the encoder cannot express', () => {
  it('refuses tool arguments that are not a JSON object', () => {
    const request: ChatRequest = {
      ...base,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_call', id: 'c', name: 'f', arguments: '[1]' }] },
      ],
    };
    expect(paramOf(() => geminiCodec.encodeRequest(request))).toBe('messages[0].content[0].arguments');
  });

  it('refuses a tool result whose function cannot be named', () => {
    const request: ChatRequest = {
      ...base,
      messages: [
        {
          role: 'user',
          content: [{ type: 'tool_result', toolCallId: 'x', name: null, content: [], isError: false }],
        },
      ],
    };
    expect(paramOf(() => geminiCodec.encodeRequest(request))).toBe('messages[0].content[0].toolCallId');
  });
});

describe('gemini malformed responses', () => {
  it.each([
    ['a non-object body', null, null],
    ['no candidates', { candidates: [] }, 'candidates'],
    ['bad parts', { candidates: [{ content: { parts: 'x' } }] }, 'candidates[0].content.parts'],
    [
      'a bad call',
      { candidates: [{ content: { parts: [{ functionCall: {} }] } }] },
      'candidates[0].content.parts[0].functionCall.name',
    ],
  ])('refuses %s', (_name, body, param) => {
    expect(paramOf(() => geminiCodec.decodeResponse(body))).toBe(param);
  });
});
