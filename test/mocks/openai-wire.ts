/**
 * OpenAI wire pieces shared by every endpoint: usage objects, response headers,
 * error bodies and the models list.
 *
 * References:
 * - Usage (`CompletionUsage`, `prompt_tokens_details.cached_tokens`,
 *   `completion_tokens_details.reasoning_tokens`) and Responses usage
 *   (`input_tokens_details`, `output_tokens_details`): the API reference at
 *   https://platform.openai.com/docs/api-reference/chat/object and
 *   https://platform.openai.com/docs/api-reference/responses/object, cross-checked
 *   against the openai-node 7.57 type definitions installed here.
 * - Errors: https://platform.openai.com/docs/guides/error-codes, body
 *   `{"error":{"message","type","param","code"}}` as parsed by openai-node's
 *   `APIError.generate` (it reads `body.error`).
 * - Headers: https://platform.openai.com/docs/guides/rate-limits (the
 *   `x-ratelimit-*` family; resets are durations like `6m0s` or `120ms`),
 *   `x-request-id`, `openai-processing-ms`, `openai-version`.
 * - Models: https://platform.openai.com/docs/api-reference/models/list.
 */
import type { JsonReply, ReplyHeaders } from '../support/mock-upstream.ts';
import { randomHex, unixSeconds } from './wire-common.ts';

/** What a test scripts; the helpers below turn it into each API's nested shape. */
export interface OpenAIUsageSpec {
  prompt: number;
  completion: number;
  /** Part of `prompt` served from the prompt cache. */
  cached?: number;
  /** Part of `completion` spent on reasoning. */
  reasoning?: number;
}

/** Chat Completions and legacy Completions `usage`. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details?: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

/** Responses API `usage`. */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface OpenAIErrorFields {
  message?: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

export interface OpenAIErrorOptions {
  /** Seconds for `retry-after` (429 only unless given explicitly); default 1. */
  retryAfterSeconds?: number;
  headers?: ReplyHeaders;
}

export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_OPENAI_USAGE: Readonly<OpenAIUsageSpec> = Object.freeze({
  prompt: 12,
  completion: 7,
});

export function openaiUsage(spec: OpenAIUsageSpec): ChatUsage {
  return {
    prompt_tokens: spec.prompt,
    completion_tokens: spec.completion,
    total_tokens: spec.prompt + spec.completion,
    prompt_tokens_details: { cached_tokens: spec.cached ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: spec.reasoning ?? 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Legacy Completions usage carries no detail objects. */
export function legacyCompletionUsage(spec: OpenAIUsageSpec): ChatUsage {
  return {
    prompt_tokens: spec.prompt,
    completion_tokens: spec.completion,
    total_tokens: spec.prompt + spec.completion,
  };
}

export function responsesUsage(spec: OpenAIUsageSpec): ResponsesUsage {
  return {
    input_tokens: spec.prompt,
    input_tokens_details: { cached_tokens: spec.cached ?? 0 },
    output_tokens: spec.completion,
    output_tokens_details: { reasoning_tokens: spec.reasoning ?? 0 },
    total_tokens: spec.prompt + spec.completion,
  };
}

export function openaiRequestId(): string {
  return `req_${randomHex(32)}`;
}

/** Rate-limit headers as OpenAI sends them on every inference response. */
export function openaiRateLimitHeaders(exhausted = false): ReplyHeaders {
  return {
    'x-ratelimit-limit-requests': '5000',
    'x-ratelimit-remaining-requests': exhausted ? '0' : '4999',
    'x-ratelimit-reset-requests': exhausted ? '1s' : '12ms',
    'x-ratelimit-limit-tokens': '800000',
    'x-ratelimit-remaining-tokens': exhausted ? '0' : '799975',
    'x-ratelimit-reset-tokens': exhausted ? '6m0s' : '1ms',
  };
}

export function openaiHeaders(extra: ReplyHeaders = {}): ReplyHeaders {
  return {
    'x-request-id': openaiRequestId(),
    'openai-version': '2020-10-01',
    'openai-processing-ms': '42',
    ...openaiRateLimitHeaders(),
    ...extra,
  };
}

/** A 200 JSON reply with OpenAI's headers. */
export function openaiJson(body: unknown, headers: ReplyHeaders = {}): JsonReply {
  return { kind: 'json', status: 200, headers: openaiHeaders(headers), body };
}

const DEFAULT_ERRORS: Record<number, Required<OpenAIErrorFields>> = {
  400: {
    message: "Invalid value for 'messages'.",
    type: 'invalid_request_error',
    code: null,
    param: 'messages',
  },
  401: {
    message:
      'Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    code: 'invalid_api_key',
    param: null,
  },
  403: {
    message: 'Country, region, or territory not supported',
    type: 'request_forbidden',
    code: 'unsupported_country_region_territory',
    param: null,
  },
  404: {
    message: 'The model `gpt-nope` does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: null,
  },
  429: {
    message:
      'Rate limit reached for gpt-4o-mini in organization org-test on requests per min (RPM): Limit 5000, Used 5000, Requested 1. Please try again in 1s.',
    type: 'requests',
    code: 'rate_limit_exceeded',
    param: null,
  },
  500: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    code: null,
    param: null,
  },
  503: {
    message: 'The engine is currently overloaded, please try again later.',
    type: 'server_error',
    code: null,
    param: null,
  },
};

function errorFieldsFor(status: number, fields: OpenAIErrorFields): Required<OpenAIErrorFields> {
  const defaults = DEFAULT_ERRORS[status] ?? DEFAULT_ERRORS[status >= 500 ? 500 : 400]!;
  return { ...defaults, ...fields };
}

/** The error body alone, also what a chat stream carries when it fails mid-way. */
export function openaiErrorBody(
  status: number,
  fields: OpenAIErrorFields = {},
): { error: Required<OpenAIErrorFields> } {
  const { message, type, param, code } = errorFieldsFor(status, fields);
  return { error: { message, type, param, code } };
}

export function openaiError(
  status: number,
  fields: OpenAIErrorFields = {},
  options: OpenAIErrorOptions = {},
): JsonReply {
  const rateLimited = status === 429;
  const retryAfter = options.retryAfterSeconds ?? (rateLimited ? 1 : undefined);
  const headers: ReplyHeaders = {
    'x-request-id': openaiRequestId(),
    ...openaiRateLimitHeaders(rateLimited),
    ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
    ...options.headers,
  };
  return { kind: 'json', status, headers, body: openaiErrorBody(status, fields) };
}

export function modelsList(ids: string[]): JsonReply {
  const created = unixSeconds();
  const data = ids.map((id) => ({ id, object: 'model', created, owned_by: 'system' }));
  return openaiJson({ object: 'list', data });
}
