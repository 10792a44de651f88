/**
 * The Gemini API (generativelanguage v1beta) generateContent / streamGenerateContent wire codec.
 *
 * References: the Gemini API REST reference at ai.google.dev/api (models.generateContent,
 * models.streamGenerateContent, Content, Part, Tool, ToolConfig, GenerationConfig, Schema,
 * GenerateContentResponse, UsageMetadata) and the official @google/genai SDK's src/types.ts
 * (googleapis/js-genai), which mirrors those messages field by field.
 *
 * The model and the choice of streaming live in the URL, not the body: decodeRequest takes them
 * from `hints.model` / `hints.stream`; encodeRequest leaves them out and the caller puts
 * `request.model` and `request.stream` into the URL with geminiPath.
 *
 * What each direction keeps and drops is listed at the top of the file doing it:
 * gemini-request.ts, gemini-config.ts, gemini-tools.ts, gemini-schema.ts, gemini-parts.ts,
 * gemini-response.ts and the two stream files.
 */
import type { WireCodec } from './ir.ts';
import { decodeGeminiRequest, encodeGeminiRequest } from './gemini-request.ts';
import { decodeGeminiResponse, encodeGeminiResponse } from './gemini-response.ts';
import { createGeminiStreamDecoder } from './gemini-stream-decode.ts';
import { createGeminiStreamEncoder } from './gemini-stream-encode.ts';

export const geminiCodec: WireCodec = {
  decodeRequest: decodeGeminiRequest,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  encodeResponse: encodeGeminiResponse,
  streamDecoder: createGeminiStreamDecoder,
  // Gemini has no usage opt-in: the last chunk always carries usageMetadata.
  streamEncoder: () => createGeminiStreamEncoder(),
};

/** The request path for a model: streaming is its own method, and alt=sse asks for SSE framing. */
export function geminiPath(model: string, stream: boolean): string {
  const name = encodeURIComponent(model.replace(/^models\//, ''));
  return stream
    ? `/v1beta/models/${name}:streamGenerateContent?alt=sse`
    : `/v1beta/models/${name}:generateContent`;
}
