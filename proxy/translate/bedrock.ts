/**
 * The AWS Bedrock Runtime Converse / ConverseStream wire format. References: Amazon Bedrock API
 * Reference (Converse, ConverseStream, Message, ContentBlock, ToolConfiguration,
 * InferenceConfiguration, TokenUsage, ConverseStreamOutput) and the AWS SDK for JavaScript v3's
 * generated models (clients/client-bedrock-runtime). The model id travels in the URL, not the body.
 */
import type { WireCodec } from './ir.ts';
import type { BedrockStreamEvent } from './bedrock-types.ts';
import { decodeBedrockRequest, encodeBedrockRequest } from './bedrock-request.ts';
import { decodeBedrockResponse, encodeBedrockResponse } from './bedrock-response.ts';
import { createBedrockStreamDecoder } from './bedrock-stream-decode.ts';
import { createBedrockStreamEncoder } from './bedrock-stream-encode.ts';

export type {
  BedrockDelta,
  BedrockExceptionName,
  BedrockStreamEvent,
  BedrockTokenUsage,
} from './bedrock-types.ts';

/** The Converse endpoint path for a model id, ARN or inference profile (colons and slashes escaped). */
export function bedrockPath(modelId: string, stream: boolean): string {
  return `/model/${encodeURIComponent(modelId)}/${stream ? 'converse-stream' : 'converse'}`;
}

/**
 * decodeRequest takes the model from hints.model and streaming from hints.stream (the endpoint);
 * decodeResponse and the stream's `start` leave model '' for the caller, which knows it from the
 * URL, and use generated ids since Bedrock sends none.
 */
export const bedrockCodec: WireCodec<BedrockStreamEvent> = {
  decodeRequest: decodeBedrockRequest,
  encodeRequest: encodeBedrockRequest,
  decodeResponse: decodeBedrockResponse,
  encodeResponse: encodeBedrockResponse,
  streamDecoder: createBedrockStreamDecoder,
  streamEncoder: () => createBedrockStreamEncoder(),
};
