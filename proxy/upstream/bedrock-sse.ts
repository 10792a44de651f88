/**
 * How ConverseStream events travel inside Apex: the Bedrock target re-frames each event the AWS SDK
 * decoded from the binary event stream as one server-sent event, `event: <member name>` and
 * `data: <member JSON>` (e.g. `event: contentBlockDelta` / `data: {"contentBlockIndex":0,...}`),
 * so the translated relay reads Bedrock like every other provider's SSE. The Bedrock codec works
 * on whole union members ({contentBlockDelta: {...}}); this adapter converts between the two.
 */
import { bedrockCodec, type BedrockStreamEvent } from '../translate/bedrock.ts';
import type { SseFrame, WireCodec } from '../translate/ir.ts';

/** One stream event as an SSE frame; null for an event with no member (nothing to say). */
export function sseFrameOf(event: Record<string, unknown>): SseFrame | null {
  for (const [name, value] of Object.entries(event)) {
    if (value !== undefined) return { event: name, data: JSON.stringify(value) };
  }
  return null;
}

export function sseText(frame: SseFrame): string {
  return `event: ${frame.event}\ndata: ${frame.data}\n\n`;
}

/** The union member an SSE frame carries; frames without a name or a JSON object are not events. */
export function streamEventOf(frame: SseFrame): BedrockStreamEvent | null {
  if (!frame.event) return null;
  try {
    const value: unknown = JSON.parse(frame.data);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    return { [frame.event]: value } as BedrockStreamEvent;
  } catch {
    return null;
  }
}

/** The Bedrock codec with SSE frames on the stream side, as the relay and the other codecs have. */
export const bedrockSseCodec: WireCodec = {
  decodeRequest: bedrockCodec.decodeRequest,
  encodeRequest: bedrockCodec.encodeRequest,
  decodeResponse: bedrockCodec.decodeResponse,
  encodeResponse: bedrockCodec.encodeResponse,
  streamDecoder() {
    const decode = bedrockCodec.streamDecoder();
    return (frame) => {
      const event = streamEventOf(frame);
      return event === null ? [] : decode(event);
    };
  },
  streamEncoder(options) {
    const encode = bedrockCodec.streamEncoder(options);
    return (event) => encode(event).flatMap((member) => sseFrameOf(member as Record<string, unknown>) ?? []);
  },
};
