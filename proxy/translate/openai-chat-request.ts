/**
 * Chat Completions request body <-> IR ChatRequest.
 *
 * Decoding keeps what the IR carries and ignores the rest (seed, logprobs, penalties, metadata,
 * store, service_tier, modalities, ...). `stream_options.include_usage` is the client's wish for
 * a usage chunk: the IR request has no field for it, so the proxy passes it to streamEncoder.
 */
import { isRecord } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ChatRequest, DecodeHints, ResponseFormat } from './ir.ts';
import {
  budgetFromEffort,
  effortFromBudget,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalString,
} from './openai-chat-fields.ts';
import { decodeMessages } from './openai-chat-messages.ts';
import { encodeMessages } from './openai-chat-messages-encode.ts';
import { decodeToolChoice, decodeTools, encodeToolChoice, encodeTools } from './openai-chat-tools.ts';

export function decodeChatRequest(body: unknown, hints: DecodeHints = {}): ChatRequest {
  if (!isRecord(body)) throw new TranslationError('request body must be a JSON object');
  rejectChoices(body);
  const { system, messages } = decodeMessages(body.messages);
  return {
    model: decodeModel(body, hints),
    system,
    messages,
    tools: decodeTools(body),
    toolChoice: decodeToolChoice(body),
    parallelToolCalls: optionalBoolean(body, 'parallel_tool_calls'),
    // max_tokens is the deprecated name; o-series models take only max_completion_tokens.
    maxTokens: optionalInteger(body, 'max_completion_tokens') ?? optionalInteger(body, 'max_tokens'),
    temperature: optionalNumber(body, 'temperature'),
    topP: optionalNumber(body, 'top_p'),
    topK: null,
    stop: decodeStop(body.stop),
    stream: optionalBoolean(body, 'stream') ?? hints.stream ?? false,
    responseFormat: decodeResponseFormat(body.response_format),
    thinkingBudget: budgetFromEffort(body.reasoning_effort),
    user: optionalString(body, 'user'),
  };
}

function decodeModel(body: Record<string, unknown>, hints: DecodeHints): string {
  const model = body.model;
  if (typeof model === 'string' && model !== '') return model;
  if (hints.model) return hints.model;
  throw new TranslationError('model is required', 'model');
}

/** The IR holds one answer; several choices cannot be produced by the other formats. */
function rejectChoices(body: Record<string, unknown>): void {
  const n = body.n;
  if (n === undefined || n === null || n === 1) return;
  throw new TranslationError('n other than 1 cannot be translated', 'n');
}

function decodeStop(stop: unknown): string[] {
  if (stop === undefined || stop === null) return [];
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) return stop;
  throw new TranslationError('stop must be a string or an array of strings', 'stop');
}

function decodeResponseFormat(format: unknown): ResponseFormat | null {
  if (format === undefined || format === null) return null;
  if (!isRecord(format)) throw new TranslationError('response_format must be an object', 'response_format');
  if (format.type === 'text' || format.type === 'json_object') return { type: format.type };
  if (format.type !== 'json_schema') {
    throw new TranslationError(
      `response_format.type ${JSON.stringify(format.type)} is not supported`,
      'response_format',
    );
  }
  const spec = format.json_schema;
  if (!isRecord(spec) || typeof spec.name !== 'string') {
    throw new TranslationError('response_format.json_schema.name is required', 'response_format');
  }
  // The schema's description has no IR field and is dropped.
  return {
    type: 'json_schema',
    name: spec.name,
    schema: isRecord(spec.schema) ? spec.schema : {},
    strict: spec.strict === true,
  };
}

function encodeResponseFormat(format: ResponseFormat): Record<string, unknown> {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    json_schema: { name: format.name, schema: format.schema, strict: format.strict },
  };
}

/**
 * IR -> request body. Optional fields are written only when set. max_completion_tokens is the
 * current name (o-series models reject max_tokens); topK has no OpenAI field and is dropped.
 * A streamed request always asks for the usage chunk: the proxy bills from it.
 */
export function encodeChatRequest(request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: encodeMessages(request.system, request.messages),
  };
  Object.assign(body, toolFields(request));
  if (request.maxTokens !== null) body.max_completion_tokens = request.maxTokens;
  if (request.temperature !== null) body.temperature = request.temperature;
  if (request.topP !== null) body.top_p = request.topP;
  if (request.stop.length > 0) body.stop = request.stop;
  if (request.stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  if (request.responseFormat !== null) body.response_format = encodeResponseFormat(request.responseFormat);
  const effort = effortFromBudget(request.thinkingBudget);
  if (effort !== null) body.reasoning_effort = effort;
  if (request.user !== null) body.user = request.user;
  return body;
}

/** OpenAI rejects tool_choice and parallel_tool_calls without tools, so they go only with tools. */
function toolFields(request: ChatRequest): Record<string, unknown> {
  if (request.tools.length === 0) return {};
  const fields: Record<string, unknown> = { tools: encodeTools(request.tools) };
  if (request.toolChoice !== null) fields.tool_choice = encodeToolChoice(request.toolChoice);
  if (request.parallelToolCalls !== null) fields.parallel_tool_calls = request.parallelToolCalls;
  return fields;
}
