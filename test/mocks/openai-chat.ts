/**
 * OpenAI Chat Completions payloads: the `chat.completion` object and the
 * `chat.completion.chunk` stream.
 *
 * References: https://platform.openai.com/docs/api-reference/chat/object,
 * https://platform.openai.com/docs/api-reference/chat-streaming/streaming and
 * the `stream_options.include_usage` parameter description ("an additional
 * chunk will be streamed before the data: [DONE] message ... the choices field
 * will always be an empty array. All other chunks will also include a usage
 * field, but with a null value"). The first delta carries `role` with empty
 * content; tool calls stream as `tool_calls[{index,id,type,function}]` then
 * argument fragments; the stream ends with the literal `data: [DONE]`.
 * `obfuscation` padding is sent unless `stream_options.include_obfuscation` is false.
 */
import type { JsonReply, RecordedRequest, SseEvent, SseReply } from '../support/mock-upstream.ts';
import { dataOnlyJsonEvent } from '../support/sse-frame.ts';
import {
  DEFAULT_OPENAI_MODEL,
  DEFAULT_OPENAI_USAGE,
  openaiHeaders,
  openaiJson,
  openaiUsage,
} from './openai-wire.ts';
import type { ChatUsage } from './openai-wire.ts';
import {
  randomHex,
  randomId,
  requestModel,
  requestSubField,
  splitIntoDeltas,
  splitIntoPieces,
  unixSeconds,
} from './wire-common.ts';

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ToolCallSpec {
  id?: string;
  name: string;
  /** The arguments as the JSON string the model emits. */
  arguments: string;
}

export interface ChatCompletionOptions {
  model?: string;
  /** null means no text at all (typical with tool calls). */
  content?: string | null;
  usage?: ChatUsage;
  toolCalls?: ToolCallSpec[];
  finishReason?: ChatFinishReason;
}

export interface ChatStreamOptions extends ChatCompletionOptions {
  /** Exact content deltas; by default the content is split on word boundaries. */
  deltas?: string[];
}

export const DEFAULT_CHAT_CONTENT = 'Hello from the mock upstream.';

interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

interface StreamFrame {
  id: string;
  created: number;
  model: string;
  includeUsage: boolean;
  includeObfuscation: boolean;
}

function wireToolCalls(toolCalls: ToolCallSpec[]): WireToolCall[] {
  return toolCalls.map((call) => ({
    id: call.id ?? randomId('call_'),
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  }));
}

function finishReasonFor(options: ChatCompletionOptions): ChatFinishReason {
  return options.finishReason ?? (options.toolCalls?.length ? 'tool_calls' : 'stop');
}

function contentFor(options: ChatCompletionOptions): string | null {
  if (options.content !== undefined) return options.content;
  return options.toolCalls?.length ? null : DEFAULT_CHAT_CONTENT;
}

export function chatCompletion(options: ChatCompletionOptions = {}): JsonReply {
  const toolCalls = options.toolCalls?.length ? { tool_calls: wireToolCalls(options.toolCalls) } : {};
  return openaiJson({
    id: randomId('chatcmpl-', 29),
    object: 'chat.completion',
    created: unixSeconds(),
    model: options.model ?? DEFAULT_OPENAI_MODEL,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: contentFor(options),
          refusal: null,
          annotations: [],
          ...toolCalls,
        },
        logprobs: null,
        finish_reason: finishReasonFor(options),
      },
    ],
    usage: options.usage ?? openaiUsage(DEFAULT_OPENAI_USAGE),
    service_tier: 'default',
    system_fingerprint: `fp_${randomHex(10)}`,
  });
}

function chunk(frame: StreamFrame, choices: unknown[]): SseEvent {
  return dataOnlyJsonEvent({
    id: frame.id,
    object: 'chat.completion.chunk',
    created: frame.created,
    model: frame.model,
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
    choices,
    ...(frame.includeUsage ? { usage: null } : {}),
    ...(frame.includeObfuscation ? { obfuscation: randomHex(8) } : {}),
  });
}

function deltaChunk(frame: StreamFrame, delta: Record<string, unknown>): SseEvent {
  return chunk(frame, [{ index: 0, delta, logprobs: null, finish_reason: null }]);
}

function toolCallChunks(frame: StreamFrame, toolCalls: WireToolCall[]): SseEvent[] {
  return toolCalls.flatMap((call, index) => [
    deltaChunk(frame, {
      tool_calls: [{ index, ...call, function: { name: call.function.name, arguments: '' } }],
    }),
    ...splitIntoPieces(call.function.arguments).map((piece) =>
      deltaChunk(frame, { tool_calls: [{ index, function: { arguments: piece } }] }),
    ),
  ]);
}

function usageChunk(frame: StreamFrame, usage: ChatUsage): SseEvent {
  return dataOnlyJsonEvent({
    id: frame.id,
    object: 'chat.completion.chunk',
    created: frame.created,
    model: frame.model,
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
    choices: [],
    usage,
  });
}

function streamFrame(request: RecordedRequest | undefined, options: ChatCompletionOptions): StreamFrame {
  return {
    id: randomId('chatcmpl-', 29),
    created: unixSeconds(),
    model: options.model ?? requestModel(request, DEFAULT_OPENAI_MODEL),
    includeUsage: requestSubField(request, 'stream_options', 'include_usage') === true,
    includeObfuscation: requestSubField(request, 'stream_options', 'include_obfuscation') !== false,
  };
}

/** The chunks of a chat stream, without the `[DONE]` sentinel (for composing faults). */
export function chatCompletionChunks(
  request: RecordedRequest | undefined,
  options: ChatStreamOptions = {},
): SseEvent[] {
  const frame = streamFrame(request, options);
  const content = contentFor(options);
  const deltas = options.deltas ?? splitIntoDeltas(content ?? '');
  const events = [
    deltaChunk(frame, { role: 'assistant', content: content === null ? null : '', refusal: null }),
    ...deltas.map((text) => deltaChunk(frame, { content: text })),
    ...toolCallChunks(frame, wireToolCalls(options.toolCalls ?? [])),
    chunk(frame, [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReasonFor(options) }]),
  ];
  if (frame.includeUsage) events.push(usageChunk(frame, options.usage ?? openaiUsage(DEFAULT_OPENAI_USAGE)));
  return events;
}

export const OPENAI_DONE_EVENT: SseEvent = Object.freeze({ data: '[DONE]' });

export function chatCompletionStream(
  request: RecordedRequest | undefined,
  options: ChatStreamOptions = {},
): SseReply {
  return {
    kind: 'sse',
    headers: openaiHeaders(),
    events: [...chatCompletionChunks(request, options), OPENAI_DONE_EVENT],
  };
}
