/**
 * Wire shapes of the Bedrock Converse / ConverseStream API as plain JSON objects (camelCase), as the
 * AWS SDK (`@aws-sdk/client-bedrock-runtime`) carries them. Reference: Amazon Bedrock API Reference,
 * "Converse", "ConverseStream", "ConverseStreamOutput", "ContentBlock", "TokenUsage", and the SDK's
 * generated `models_0.ts` (aws/aws-sdk-js-v3, clients/client-bedrock-runtime).
 */

/** TokenUsage: inputTokens is only the uncached remainder; cache reads and writes come on top. */
export interface BedrockTokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  /** Cache writes split by TTL, 1h before 5m. */
  cacheDetails?: Array<{ ttl: '5m' | '1h'; inputTokens: number }>;
}

/** The five exception members of ConverseStreamOutput. */
export type BedrockExceptionName =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'validationException'
  | 'throttlingException'
  | 'serviceUnavailableException';

export type BedrockDelta =
  | { text: string }
  | { toolUse: { input: string } }
  | { reasoningContent: { text: string } | { signature: string } | { redactedContent: string } };

type ExceptionEvent = {
  [K in BedrockExceptionName]: { [P in K]: { message: string } };
}[BedrockExceptionName];

/** One ConverseStream output event (a ConverseStreamOutput union member) as a plain object. */
export type BedrockStreamEvent =
  | { messageStart: { role: 'assistant' } }
  | {
      contentBlockStart: {
        contentBlockIndex: number;
        start: { toolUse: { toolUseId: string; name: string } };
      };
    }
  | { contentBlockDelta: { contentBlockIndex: number; delta: BedrockDelta } }
  | { contentBlockStop: { contentBlockIndex: number } }
  | { messageStop: { stopReason: string; additionalModelResponseFields?: Record<string, unknown> } }
  | { metadata: { usage: BedrockTokenUsage; metrics: { latencyMs: number } } }
  | ExceptionEvent;
