/**
 * OpenAI Embeddings (`POST /v1/embeddings`) payloads.
 *
 * Reference: https://platform.openai.com/docs/api-reference/embeddings/object:
 * `{object:'list', data:[{object:'embedding', index, embedding}], model,
 * usage:{prompt_tokens, total_tokens}}`. With `encoding_format: 'base64'` each
 * `embedding` is the base64 of little-endian float32s, and openai-node asks
 * for base64 by default (then decodes it), so a faithful mock must honour it.
 */
import type { JsonReply, RecordedRequest } from '../support/mock-upstream.ts';
import { openaiJson } from './openai-wire.ts';
import { requestField, requestModel } from './wire-common.ts';

export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';
export const DEFAULT_EMBEDDING_DIMENSIONS = 8;

export interface EmbeddingsOptions {
  model?: string;
  /** One vector per input; defaults to small deterministic vectors exactly representable as float32. */
  vectors?: number[][];
  promptTokens?: number;
  encodingFormat?: 'float' | 'base64';
}

/** Multiples of 1/64 survive the float32 round trip, so decoded base64 compares exactly. */
export function defaultEmbeddingVector(index: number, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  return Array.from({ length: dimensions }, (_, position) => ((index + 1) * (position + 1)) / 64);
}

function encodeFloat32Base64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export function embeddings(options: EmbeddingsOptions = {}): JsonReply {
  const vectors = options.vectors ?? [defaultEmbeddingVector(0)];
  const base64 = options.encodingFormat === 'base64';
  const promptTokens = options.promptTokens ?? 5 * vectors.length;
  return openaiJson({
    object: 'list',
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: base64 ? encodeFloat32Base64(vector) : vector,
    })),
    model: options.model ?? DEFAULT_EMBEDDING_MODEL,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

/** How many embeddings the request's `input` asks for (a string, strings, tokens or token arrays). */
export function embeddingInputCount(request: RecordedRequest | undefined): number {
  const input = requestField(request, 'input');
  if (!Array.isArray(input) || input.length === 0) return 1;
  return typeof input[0] === 'number' ? 1 : input.length;
}

/** Embeddings shaped by the request: one per input, its `dimensions` and `encoding_format`. */
export function embeddingsFor(
  request: RecordedRequest | undefined,
  options: EmbeddingsOptions = {},
): JsonReply {
  const dimensions = requestField(request, 'dimensions');
  const size = typeof dimensions === 'number' ? dimensions : DEFAULT_EMBEDDING_DIMENSIONS;
  const count = embeddingInputCount(request);
  const format = requestField(request, 'encoding_format') === 'base64' ? 'base64' : 'float';
  return embeddings({
    model: requestModel(request, DEFAULT_EMBEDDING_MODEL),
    vectors: Array.from({ length: count }, (_, index) => defaultEmbeddingVector(index, size)),
    encodingFormat: format,
    ...options,
  });
}
