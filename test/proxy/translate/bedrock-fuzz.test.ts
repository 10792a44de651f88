import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bedrockCodec, type BedrockStreamEvent } from '../../../proxy/translate/bedrock.ts';
import { TranslationError } from '../../../proxy/translate/ir.ts';

const hints = { model: 'amazon.nova-lite-v1:0' };
const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });

/** Either it decodes, or it fails with a TranslationError: never a TypeError or a crash. */
function decodesOrRefuses(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TranslationError);
  }
}

describe('bedrock malformed requests', () => {
  it.each<[string, unknown, string | null]>([
    ['a non-object body', [], null],
    ['a string body', 'hello', null],
    ['no messages', {}, 'messages'],
    ['messages not an array', { messages: {} }, 'messages'],
    ['a message that is not an object', { messages: [42] }, 'messages'],
    ['a system role', { messages: [{ role: 'system', content: [] }] }, 'messages'],
    ['content as a string', user('hi'), 'messages'],
    ['a block that is not an object', user(['hi']), 'messages'],
    [
      'a document block',
      user([{ document: { format: 'pdf', name: 'a', source: { bytes: 'JVBE' } } }]),
      'messages',
    ],
    ['a video block', user([{ video: { format: 'mp4', source: { bytes: 'AAAA' } } }]), 'messages'],
    ['a guardContent block', user([{ guardContent: { text: { text: 'x' } } }]), 'messages'],
    ['a BMP image', user([{ image: { format: 'bmp', source: { bytes: 'Qk0=' } } }]), 'messages'],
    [
      'an S3 image',
      user([{ image: { format: 'png', source: { s3Location: { uri: 's3://b/k' } } } }]),
      'messages',
    ],
    ['a toolUse without input', user([{ toolUse: { toolUseId: 't', name: 'f' } }]), 'messages'],
    ['a toolUse without id', user([{ toolUse: { name: 'f', input: {} } }]), 'messages'],
    ['a toolResult without content', user([{ toolResult: { toolUseId: 't' } }]), 'messages'],
    [
      'a toolResult with a document',
      user([{ toolResult: { toolUseId: 't', content: [{ document: {} }] } }]),
      'messages',
    ],
    ['empty reasoningContent', user([{ reasoningContent: {} }]), 'messages'],
    ['system not an array', { ...user([]), system: 'Be nice' }, 'system'],
    ['a guardContent system block', { ...user([]), system: [{ guardContent: {} }] }, 'system'],
    ['inferenceConfig not an object', { ...user([]), inferenceConfig: 3 }, 'inferenceConfig'],
    ['maxTokens 0', { ...user([]), inferenceConfig: { maxTokens: 0 } }, 'inferenceConfig.maxTokens'],
    [
      'fractional maxTokens',
      { ...user([]), inferenceConfig: { maxTokens: 1.5 } },
      'inferenceConfig.maxTokens',
    ],
    [
      'temperature as text',
      { ...user([]), inferenceConfig: { temperature: 'hot' } },
      'inferenceConfig.temperature',
    ],
    ['negative topP', { ...user([]), inferenceConfig: { topP: -0.1 } }, 'inferenceConfig.topP'],
    [
      'stopSequences of numbers',
      { ...user([]), inferenceConfig: { stopSequences: [1] } },
      'inferenceConfig.stopSequences',
    ],
    ['toolConfig without tools', { ...user([]), toolConfig: {} }, 'toolConfig'],
    [
      'a tool without schema',
      { ...user([]), toolConfig: { tools: [{ toolSpec: { name: 'f' } }] } },
      'toolConfig.tools',
    ],
    [
      'an unknown toolChoice',
      { ...user([]), toolConfig: { tools: [], toolChoice: { none: {} } } },
      'toolConfig.toolChoice',
    ],
    [
      'top_k as text',
      { ...user([]), additionalModelRequestFields: { top_k: 'many' } },
      'additionalModelRequestFields.top_k',
    ],
    [
      'a zero thinking budget',
      { ...user([]), additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 0 } } },
      'additionalModelRequestFields.thinking.budget_tokens',
    ],
  ])('refuses %s', (_label, body, param) => {
    expect(() => bedrockCodec.decodeRequest(body, hints)).toThrowError(
      expect.objectContaining({ name: 'TranslationError', param }),
    );
  });

  it('needs a model from the URL or the body', () => {
    expect(() => bedrockCodec.decodeRequest(user([]))).toThrowError(
      expect.objectContaining({ param: 'modelId' }),
    );
    expect(() => bedrockCodec.decodeRequest(user([]), { model: '' })).toThrow(TranslationError);
  });

  it('accepts SDK-style Uint8Array bytes and ignores unknown extras', () => {
    const bytes = new Uint8Array([137, 80, 78, 71]);
    const ir = bedrockCodec.decodeRequest(
      {
        ...user([
          { image: { format: 'png', source: { bytes } } },
          { reasoningContent: { redactedContent: bytes } },
        ]),
        inferenceConfig: null,
        toolConfig: null,
        system: null,
        additionalModelRequestFields: 'nonsense',
        somethingNew: true,
      },
      hints,
    );
    expect(ir.messages[0]?.content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw==' } },
      { type: 'thinking', text: '', signature: null, redacted: 'iVBORw==' },
    ]);
    expect(ir).toMatchObject({ maxTokens: null, tools: [], system: [], topK: null, thinkingBudget: null });
  });
});

describe('bedrock fuzz', () => {
  const block = fc.oneof(
    fc.anything(),
    fc.record({ text: fc.oneof(fc.string(), fc.integer()) }),
    fc.record({ image: fc.record({ format: fc.constantFrom('png', 'bmp', 1), source: fc.anything() }) }),
    fc.record({ toolUse: fc.record({ toolUseId: fc.anything(), name: fc.string(), input: fc.jsonValue() }) }),
    fc.record({
      toolResult: fc.record({
        toolUseId: fc.string(),
        content: fc.array(fc.anything()),
        status: fc.string(),
      }),
    }),
    fc.record({ reasoningContent: fc.anything() }),
    fc.record({ cachePoint: fc.anything() }),
  );
  const message = fc.record({
    role: fc.constantFrom('user', 'assistant', 'system', 7),
    content: fc.array(block),
  });
  const body = fc.record(
    {
      messages: fc.oneof(fc.array(message), fc.anything()),
      system: fc.oneof(fc.array(block), fc.anything()),
      inferenceConfig: fc.oneof(
        fc.record({ maxTokens: fc.anything(), temperature: fc.anything() }),
        fc.anything(),
      ),
      toolConfig: fc.oneof(
        fc.record({ tools: fc.array(fc.anything()), toolChoice: fc.anything() }),
        fc.anything(),
      ),
      additionalModelRequestFields: fc.anything(),
    },
    { requiredKeys: [] },
  );

  it('decodeRequest never crashes, and what it accepts encodes without crashing', () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.anything()), (input) => {
        decodesOrRefuses(() => bedrockCodec.encodeRequest(bedrockCodec.decodeRequest(input, hints)));
      }),
      { numRuns: 500 },
    );
  });

  it('decodeResponse never crashes', () => {
    const response = fc.record({
      output: fc.oneof(fc.record({ message: fc.record({ content: fc.array(block) }) }), fc.anything()),
      stopReason: fc.anything(),
      usage: fc.oneof(fc.record({ inputTokens: fc.anything(), cacheDetails: fc.anything() }), fc.anything()),
      additionalModelResponseFields: fc.anything(),
    });
    fc.assert(
      fc.property(fc.oneof(response, fc.anything()), (input) => {
        decodesOrRefuses(() => bedrockCodec.encodeResponse(bedrockCodec.decodeResponse(input)));
      }),
      { numRuns: 500 },
    );
  });

  it('the stream decoder never throws on garbage frames', () => {
    const frame = fc.oneof(
      fc.anything(),
      fc.record({ contentBlockDelta: fc.record({ contentBlockIndex: fc.anything(), delta: fc.anything() }) }),
      fc.record({ contentBlockStart: fc.record({ contentBlockIndex: fc.nat(3), start: fc.anything() }) }),
      fc.record({ contentBlockStop: fc.record({ contentBlockIndex: fc.anything() }) }),
      fc.record({ messageStop: fc.anything() }),
      fc.record({ metadata: fc.anything() }),
    );
    fc.assert(
      fc.property(fc.array(frame), (frames) => {
        const decode = bedrockCodec.streamDecoder();
        const encode = bedrockCodec.streamEncoder();
        for (const f of frames) decode(f as BedrockStreamEvent).forEach((event) => encode(event));
      }),
      { numRuns: 300 },
    );
  });
});
