/**
 * OpenAI Responses API (`POST /v1/responses`) payloads.
 *
 * References: https://platform.openai.com/docs/api-reference/responses/object
 * and https://platform.openai.com/docs/api-reference/responses-streaming.
 * A stream is named events (`event:` equals the payload's `type`), each with a
 * `sequence_number` counting from 0: response.created, response.in_progress,
 * response.output_item.added, response.content_part.added,
 * response.output_text.delta..., response.output_text.done,
 * response.content_part.done, response.output_item.done, response.completed
 * (which carries the full response and its `usage`). There is no `[DONE]`.
 */
import type { JsonReply, RecordedRequest, SseEvent, SseReply } from '../support/mock-upstream.ts';
import { namedJsonEvent } from '../support/sse-frame.ts';
import {
  DEFAULT_OPENAI_MODEL,
  DEFAULT_OPENAI_USAGE,
  openaiHeaders,
  openaiJson,
  responsesUsage,
} from './openai-wire.ts';
import type { ResponsesUsage } from './openai-wire.ts';
import { randomHex, randomId, requestModel, splitIntoDeltas, unixSeconds } from './wire-common.ts';

export const DEFAULT_RESPONSE_TEXT = 'Hello from the mock Responses API.';

export interface ResponseOptions {
  model?: string;
  text?: string;
  usage?: ResponsesUsage;
}

export interface ResponseStreamOptions extends ResponseOptions {
  /** Exact text deltas; by default the text is split on word boundaries. */
  deltas?: string[];
}

interface ResponseIdentity {
  id: string;
  messageId: string;
  createdAt: number;
  model: string;
}

function identity(model: string): ResponseIdentity {
  return { id: randomId('resp_', 48), messageId: randomId('msg_', 48), createdAt: unixSeconds(), model };
}

function outputTextPart(text: string): Record<string, unknown> {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function outputMessage(
  ids: ResponseIdentity,
  text: string,
  status: 'in_progress' | 'completed',
): Record<string, unknown> {
  const content = status === 'completed' ? [outputTextPart(text)] : [];
  return { id: ids.messageId, type: 'message', status, content, role: 'assistant' };
}

function responseObject(
  ids: ResponseIdentity,
  status: 'in_progress' | 'completed',
  output: unknown[],
  usage: ResponsesUsage | null,
): Record<string, unknown> {
  return {
    id: ids.id,
    object: 'response',
    created_at: ids.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: ids.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: true,
    temperature: 1.0,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1.0,
    truncation: 'disabled',
    usage,
    user: null,
    metadata: {},
  };
}

export function response(options: ResponseOptions = {}): JsonReply {
  const ids = identity(options.model ?? DEFAULT_OPENAI_MODEL);
  const text = options.text ?? DEFAULT_RESPONSE_TEXT;
  const usage = options.usage ?? responsesUsage(DEFAULT_OPENAI_USAGE);
  return openaiJson(responseObject(ids, 'completed', [outputMessage(ids, text, 'completed')], usage));
}

/** Numbers events in order, the way the API's `sequence_number` does. */
function sequenced(payloads: Array<Record<string, unknown> & { type: string }>): SseEvent[] {
  return payloads.map((payload, index) =>
    namedJsonEvent(payload.type, { ...payload, sequence_number: index }),
  );
}

function textEvents(
  ids: ResponseIdentity,
  text: string,
  deltas: string[],
): Array<Record<string, unknown> & { type: string }> {
  const position = { item_id: ids.messageId, output_index: 0, content_index: 0 };
  return [
    { type: 'response.content_part.added', ...position, part: outputTextPart('') },
    ...deltas.map((delta) => ({
      type: 'response.output_text.delta',
      ...position,
      delta,
      logprobs: [],
      obfuscation: randomHex(8),
    })),
    { type: 'response.output_text.done', ...position, text, logprobs: [] },
    { type: 'response.content_part.done', ...position, part: outputTextPart(text) },
  ];
}

/** The events of a Responses stream (for composing faults); `responseStream` wraps them in a reply. */
export function responseStreamEvents(
  request: RecordedRequest | undefined,
  options: ResponseStreamOptions = {},
): SseEvent[] {
  const ids = identity(options.model ?? requestModel(request, DEFAULT_OPENAI_MODEL));
  const text = options.text ?? DEFAULT_RESPONSE_TEXT;
  const usage = options.usage ?? responsesUsage(DEFAULT_OPENAI_USAGE);
  const pending = responseObject(ids, 'in_progress', [], null);
  const finalMessage = outputMessage(ids, text, 'completed');
  return sequenced([
    { type: 'response.created', response: pending },
    { type: 'response.in_progress', response: pending },
    { type: 'response.output_item.added', output_index: 0, item: outputMessage(ids, '', 'in_progress') },
    ...textEvents(ids, text, options.deltas ?? splitIntoDeltas(text)),
    { type: 'response.output_item.done', output_index: 0, item: finalMessage },
    { type: 'response.completed', response: responseObject(ids, 'completed', [finalMessage], usage) },
  ]);
}

export function responseStream(
  request: RecordedRequest | undefined,
  options: ResponseStreamOptions = {},
): SseReply {
  return { kind: 'sse', headers: openaiHeaders(), events: responseStreamEvents(request, options) };
}
