/**
 * GenerateContentResponse (v1beta REST reference, GenerateContentResponse, Candidate,
 * UsageMetadata, PromptFeedback) <-> IR ChatResponse. Only candidates[0] is read: requests with
 * candidateCount > 1 are refused on the way in.
 *
 * Dropped on the way in: safetyRatings, citationMetadata, groundingMetadata, avgLogprobs,
 * per-modality token details, and media the model generated (IR responses carry no images).
 * Gemini reports no stop sequence, so stopSequence is always null; `created` comes from Vertex's
 * createTime where present, else the time of decoding, and is not sent (the Gemini API has no
 * such field).
 */
import { isRecord } from '../../common/json.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { TranslationError } from './ir.ts';
import type { ChatResponse, StopReason, TextPart, ThinkingPart, ToolCallPart } from './ir.ts';
import {
  createdFrom,
  encodeUsage,
  field,
  finishFromStop,
  newResponseId,
  stopFromFinish,
  textField,
  usageFromGemini,
} from './gemini-fields.ts';
import { encodeParts } from './gemini-parts-encode.ts';
import { decodeParts, newLedger } from './gemini-parts.ts';

type ResponsePart = TextPart | ToolCallPart | ThinkingPart;

export function decodeGeminiResponse(body: unknown): ChatResponse {
  if (!isRecord(body)) throw new TranslationError('response body must be a JSON object');
  const candidate = Array.isArray(body.candidates) ? body.candidates[0] : undefined;
  const blocked = blockReason(body) !== null;
  if (!isRecord(candidate) && !blocked)
    throw new TranslationError('response has no candidates', 'candidates');
  const content = isRecord(candidate) ? candidateParts(candidate) : [];
  const calledTool = content.some((part) => part.type === 'tool_call');
  return {
    id: textField(body, 'responseId') || newResponseId(),
    model: textField(body, 'modelVersion') ?? '',
    content,
    stopReason: blocked ? 'content_filter' : stopFromFinish(field(candidate, 'finishReason'), calledTool),
    stopSequence: null,
    usage: usageFromGemini(field(body, 'usageMetadata')) ?? { ...ZERO_USAGE },
    created: createdFrom(field(body, 'createTime')),
  };
}

/** A prompt blocked before generation comes back with promptFeedback.blockReason and no candidates. */
export function blockReason(body: Record<string, unknown>): string | null {
  return textField(field(body, 'promptFeedback'), 'blockReason');
}

function candidateParts(candidate: Record<string, unknown>): ResponsePart[] {
  const content = candidate.content;
  if (!isRecord(content)) return [];
  const parts = decodeParts(content.parts, 'candidates[0].content.parts', newLedger(), { media: false });
  return parts.filter((part): part is ResponsePart => part.type !== 'image' && part.type !== 'tool_result');
}

export function encodeGeminiResponse(response: ChatResponse): Record<string, unknown> {
  const parts = encodeParts(response.content, { path: 'content', names: new Map(), strictArgs: false });
  return {
    candidates: [encodeCandidate(parts, response.stopReason)],
    usageMetadata: encodeUsage(response.usage),
    modelVersion: response.model,
    responseId: response.id,
  };
}

/** A candidate with nothing to show (a filtered answer) has no content, as Gemini sends it. */
export function encodeCandidate(
  parts: Array<Record<string, unknown>>,
  stop: StopReason | null,
): Record<string, unknown> {
  const candidate: Record<string, unknown> = {};
  if (parts.length > 0) candidate.content = { parts, role: 'model' };
  if (stop !== null) candidate.finishReason = finishFromStop(stop);
  candidate.index = 0;
  return candidate;
}
