import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geminiCodec } from '../../../proxy/translate/gemini.ts';
import { TranslationError } from '../../../proxy/translate/ir.ts';

const hints = { model: 'gemini-2.5-flash' };

/** Only TranslationError may escape a decoder, whatever arrives. */
function onlyTranslationErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TranslationError);
  }
}

const partLike = fc.oneof(
  fc.anything(),
  fc.record(
    { text: fc.anything(), thought: fc.anything(), thoughtSignature: fc.anything() },
    { requiredKeys: [] },
  ),
  fc.record({ functionCall: fc.anything() }),
  fc.record({
    functionCall: fc.record(
      { name: fc.anything(), args: fc.anything(), id: fc.anything() },
      { requiredKeys: [] },
    ),
  }),
  fc.record({
    functionResponse: fc.record(
      { name: fc.anything(), response: fc.anything(), id: fc.anything() },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ inlineData: fc.anything(), fileData: fc.anything() }, { requiredKeys: [] }),
);

const contentLike = fc.record(
  { role: fc.oneof(fc.constantFrom('user', 'model'), fc.anything()), parts: fc.array(partLike) },
  { requiredKeys: [] },
);

const requestLike = fc.record(
  {
    contents: fc.oneof(fc.array(contentLike), fc.anything()),
    systemInstruction: fc.anything(),
    tools: fc.oneof(fc.anything(), fc.array(fc.record({ functionDeclarations: fc.array(fc.anything()) }))),
    toolConfig: fc.oneof(
      fc.anything(),
      fc.record({
        functionCallingConfig: fc.record({ mode: fc.string(), allowedFunctionNames: fc.anything() }),
      }),
    ),
    generationConfig: fc.oneof(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom(
          'maxOutputTokens',
          'temperature',
          'topK',
          'stopSequences',
          'responseMimeType',
          'responseSchema',
          'thinkingConfig',
          'candidateCount',
        ),
        fc.anything(),
      ),
    ),
  },
  { requiredKeys: [] },
);

const responseLike = fc.record(
  {
    candidates: fc.oneof(
      fc.anything(),
      fc.array(fc.record({ content: contentLike, finishReason: fc.anything() }, { requiredKeys: [] })),
    ),
    usageMetadata: fc.oneof(
      fc.anything(),
      fc.dictionary(
        fc.constantFrom(
          'promptTokenCount',
          'candidatesTokenCount',
          'thoughtsTokenCount',
          'cachedContentTokenCount',
        ),
        fc.anything(),
      ),
    ),
    promptFeedback: fc.anything(),
    responseId: fc.anything(),
    modelVersion: fc.anything(),
  },
  { requiredKeys: [] },
);

describe('gemini decoders on garbage', () => {
  it('requests: only TranslationError, and what decodes re-encodes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), requestLike), (body) => {
        onlyTranslationErrors(() => geminiCodec.encodeRequest(geminiCodec.decodeRequest(body, hints)));
      }),
      { numRuns: 500 },
    );
  });

  it('responses: only TranslationError, and what decodes re-encodes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), responseLike), (body) => {
        onlyTranslationErrors(() => geminiCodec.encodeResponse(geminiCodec.decodeResponse(body)));
      }),
      { numRuns: 500 },
    );
  });

  it('streams: never throws, whatever the frames hold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
            responseLike.map((v) => JSON.stringify(v) ?? ''),
          ),
        ),
        (datas) => {
          const decode = geminiCodec.streamDecoder();
          const encode = geminiCodec.streamEncoder();
          for (const data of datas) for (const event of decode({ event: null, data })) encode(event);
          expect(decode({ event: null, data: '' })).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
