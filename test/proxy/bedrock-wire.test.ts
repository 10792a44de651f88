// The Bedrock target's conversions: Converse JSON to and from the SDK's shapes, REST paths, and the
// SSE framing of ConverseStream events between the target and the translated relay.
import { describe, expect, it } from 'vitest';
import { bedrockSseCodec, sseFrameOf, streamEventOf } from '../../proxy/upstream/bedrock-sse.ts';
import { parseBedrockPath, toSdkShape, toWireShape } from '../../proxy/upstream/bedrock-wire.ts';

describe('Bedrock wire shapes', () => {
  it('decodes blobs for the SDK and leaves documents alone', () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { image: { format: 'png', source: { bytes: Buffer.from('PNG').toString('base64') } } },
            { toolUse: { toolUseId: 't', name: 'n', input: { bytes: 'keep', $x: 1 } } },
          ],
        },
      ],
      additionalModelRequestFields: { bytes: 'keep' },
    };
    const sdk = toSdkShape(body) as typeof body;
    const image = sdk.messages[0]!.content[0]!.image!.source.bytes as unknown as Uint8Array;
    expect(Buffer.from(image).toString()).toBe('PNG');
    expect(sdk.messages[0]!.content[1]!.toolUse).toEqual({
      toolUseId: 't',
      name: 'n',
      input: { bytes: 'keep', $x: 1 },
    });
    expect(sdk.additionalModelRequestFields).toEqual({ bytes: 'keep' });
  });

  it('encodes SDK output as wire JSON without the SDK’s own members', () => {
    const output = {
      $metadata: { httpStatusCode: 200 },
      output: {
        message: {
          content: [
            { reasoningContent: { redactedContent: new Uint8Array([1, 2, 3]) } },
            { toolUse: { toolUseId: 't', name: 'n', input: { $keep: true } } },
          ],
        },
      },
      stopReason: 'tool_use',
      trace: undefined,
    };
    expect(toWireShape(output)).toEqual({
      output: {
        message: {
          content: [
            { reasoningContent: { redactedContent: 'AQID' } },
            { toolUse: { toolUseId: 't', name: 'n', input: { $keep: true } } },
          ],
        },
      },
      stopReason: 'tool_use',
    });
  });

  it('reads the operation and model id from the REST path', () => {
    expect(parseBedrockPath('/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream')).toEqual({
      modelId: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      stream: true,
    });
    expect(parseBedrockPath('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aprofile%2Fx/converse')).toEqual({
      modelId: 'arn:aws:bedrock:us-east-1:1:profile/x',
      stream: false,
    });
    expect(parseBedrockPath('/model/m/invoke')).toBeNull();
    expect(parseBedrockPath('/model/%E0%A4%A/converse')).toBeNull();
  });
});

describe('Bedrock SSE framing', () => {
  it('frames stream events as named SSE events and reads them back', () => {
    const event = { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hi' } } };
    const frame = sseFrameOf(event)!;
    expect(frame).toEqual({
      event: 'contentBlockDelta',
      data: '{"contentBlockIndex":0,"delta":{"text":"Hi"}}',
    });
    expect(streamEventOf(frame)).toEqual(event);
    expect(sseFrameOf({})).toBeNull();
    expect(streamEventOf({ event: null, data: '{}' })).toBeNull();
    expect(streamEventOf({ event: 'x', data: 'not json' })).toBeNull();
    expect(streamEventOf({ event: 'x', data: '[1]' })).toBeNull();
  });

  it('decodes and encodes through the codec as SSE frames', () => {
    const decode = bedrockSseCodec.streamDecoder();
    const events = [
      { event: 'messageStart', data: '{"role":"assistant"}' },
      { event: 'contentBlockDelta', data: '{"contentBlockIndex":0,"delta":{"text":"Hi"}}' },
      { event: null, data: 'ignored' },
      {
        event: 'metadata',
        data: '{"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":1}}',
      },
    ].flatMap(decode);
    expect(events.map((e) => e.type)).toEqual(['start', 'text_delta', 'usage', 'end']);
    const encode = bedrockSseCodec.streamEncoder();
    const frames = events.flatMap(encode);
    expect(frames.map((f) => f.event)).toEqual(['messageStart', 'contentBlockDelta', 'metadata']);
  });
});
