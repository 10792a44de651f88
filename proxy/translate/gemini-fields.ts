/**
 * Small pieces shared by the Gemini codec's files: field aliases, stop reasons, usage, ids and
 * the function-response wrapping. Reference: Gemini API v1beta REST reference (FinishReason,
 * UsageMetadata, FunctionResponse) and the @google/genai SDK's src/types.ts.
 */
import { randomUUID } from 'node:crypto';
import { isRecord } from '../../common/json.ts';
import type { TokenUsage } from '../../contracts/usage.ts';
import { tokenCount } from '../usage/fields.ts';
import { usageFromOpenAI } from '../usage/openai.ts';
import type { StopReason } from './ir.ts';

/**
 * record[camel], else its snake_case spelling: the REST API's JSON parser accepts both, and
 * Google's own curl examples use snake_case (system_instruction, inline_data, ...).
 */
export function field(record: unknown, camel: string): unknown {
  if (!isRecord(record)) return undefined;
  const value = record[camel];
  return value !== undefined ? value : record[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

export function textField(record: unknown, camel: string): string | null {
  const value = field(record, camel);
  return typeof value === 'string' ? value : null;
}

/** Gemini omits ids on most models: generated ones follow this shape and are never sent back. */
const GENERATED_CALL_ID = /^call_\d+$/;

export function generatedCallId(index: number): string {
  return `call_${index}`;
}

export function isGeneratedCallId(id: string): boolean {
  return GENERATED_CALL_ID.test(id);
}

export function newResponseId(): string {
  return `gemini-${randomUUID()}`;
}

/** Vertex adds createTime (RFC 3339); the Gemini API has none, so the time of decoding stands in. */
export function createdFrom(createTime: unknown): number {
  const ms = typeof createTime === 'string' ? Date.parse(createTime) : NaN;
  return Math.floor((Number.isFinite(ms) ? ms : Date.now()) / 1000);
}

/** Every value that reports blocked or withheld output; the rest are plain stops. */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** Gemini says STOP for a natural end, a stop sequence and a function call alike. */
export function stopFromFinish(reason: unknown, calledTool: boolean): StopReason {
  if (reason === 'MAX_TOKENS') return 'max_tokens';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return calledTool ? 'tool_use' : 'end_turn';
}

export function finishFromStop(stop: StopReason): string {
  if (stop === 'max_tokens') return 'MAX_TOKENS';
  if (stop === 'content_filter' || stop === 'refusal') return 'SAFETY';
  return 'STOP';
}

/**
 * Gemini's candidatesTokenCount excludes thoughtsTokenCount while TokenUsage's outputTokens
 * includes reasoning; promptTokenCount already includes cachedContentTokenCount, and
 * toolUsePromptTokenCount (grounding results fed back) comes on top of it, billed as input.
 * Rewritten into OpenAI's shape so usageFromOpenAI clamps the parts into their totals.
 */
export function usageFromGemini(meta: unknown): TokenUsage | null {
  if (!isRecord(meta)) return null;
  const prompt = tokenCount(meta.promptTokenCount);
  const candidates = tokenCount(meta.candidatesTokenCount);
  const thoughts = tokenCount(meta.thoughtsTokenCount);
  if (prompt === null && candidates === null && thoughts === null) return null;
  return usageFromOpenAI({
    prompt_tokens: (prompt ?? 0) + (tokenCount(meta.toolUsePromptTokenCount) ?? 0),
    completion_tokens: (candidates ?? 0) + (thoughts ?? 0),
    prompt_tokens_details: { cached_tokens: tokenCount(meta.cachedContentTokenCount) ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts ?? 0 },
  });
}

/** Cache writes have no Gemini counter (explicit caches are created apart): they stay in the prompt. */
export function encodeUsage(usage: Partial<TokenUsage>): Record<string, number> {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const reasoning = Math.min(usage.reasoningTokens ?? 0, output);
  const out: Record<string, number> = {
    promptTokenCount: input,
    candidatesTokenCount: output - reasoning,
    totalTokenCount: input + output,
  };
  if ((usage.cachedInputTokens ?? 0) > 0) out.cachedContentTokenCount = usage.cachedInputTokens ?? 0;
  if (reasoning > 0) out.thoughtsTokenCount = reasoning;
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function onlyKey(record: Record<string, unknown>, key: string): boolean {
  const keys = Object.keys(record);
  return keys.length === 1 && keys[0] === key;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/**
 * FunctionResponse.response is an object; the reference reads an "output" key as the output and
 * an "error" key as a failure, and any other object as the output as a whole.
 */
export function toolResultFromResponse(response: Record<string, unknown>): {
  text: string;
  isError: boolean;
} {
  if (onlyKey(response, 'error')) return { text: asText(response.error), isError: true };
  if (onlyKey(response, 'output') && typeof response.output === 'string') {
    return { text: response.output, isError: false };
  }
  return { text: JSON.stringify(response), isError: false };
}

/** The inverse: JSON object text travels as the object itself, anything else under "output". */
export function responseFromToolResult(text: string, isError: boolean): Record<string, unknown> {
  const parsed = parseJson(text);
  if (isError) return { error: isRecord(parsed) ? parsed : text };
  if (!isRecord(parsed)) return { output: text };
  // An object that would read back as an output or an error is wrapped to keep its meaning.
  const ambiguous =
    onlyKey(parsed, 'error') || (onlyKey(parsed, 'output') && typeof parsed.output === 'string');
  return ambiguous ? { output: text } : parsed;
}

/** google.rpc status names for the HTTP codes a Gemini error body carries. */
const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function errorBody(status: number, message: string): Record<string, unknown> {
  const error: Record<string, unknown> = { code: status, message };
  if (RPC_STATUS[status]) error.status = RPC_STATUS[status];
  return { error };
}
