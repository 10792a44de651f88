import type { Endpoint, TokenUsage } from '../../contracts/usage.ts';
import { parseObject, stringField } from '../../common/json.ts';
import { createAnthropicStreamUsage } from '../usage/anthropic.ts';
import { usageFromOpenAI, usageFromOpenAIResponses } from '../usage/openai.ts';

export interface SseEvent {
  event?: string | undefined;
  id?: string | undefined;
  data: string;
}

/** Watches a relayed SSE stream for usage, the serving model and in-band errors. */
export interface StreamTap {
  /** Returns true when the event must be withheld from the client. */
  onEvent(event: SseEvent): boolean;
  usage(): TokenUsage | null;
  model(): string | null;
  errorClass(): string | null;
}

// Only chunks that may carry a usage object are parsed; the rest pass untouched.
const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const ERROR_KEY = /^\s*\{\s*"error"\s*:/;
const EVENT_TYPE = /"type"\s*:\s*"([^"]+)"/;

function errorClassOf(body: Record<string, unknown> | null): string {
  const error = body?.error;
  return stringField(error, 'type') ?? stringField(error, 'code') ?? 'stream_error';
}

/** Chat and legacy completions: usage rides on a final chunk with no choices. */
function openAIChunkTap(stripUsageChunk: boolean): StreamTap {
  let usage: TokenUsage | null = null;
  let model: string | null = null;
  let error: string | null = null;
  return {
    onEvent({ data }) {
      if (data === '[DONE]') return false;
      if (model === null) model = stringField(parseObject(data), 'model');
      if (ERROR_KEY.test(data)) {
        error = errorClassOf(parseObject(data));
        return false;
      }
      if (!USAGE_OBJECT.test(data)) return false;
      const chunk = parseObject(data);
      // An unreadable usage chunk Apex asked for would break a client that never asked for one.
      if (chunk === null) return stripUsageChunk;
      usage = usageFromOpenAI(chunk.usage) ?? usage;
      const choices = chunk?.choices;
      return stripUsageChunk && Array.isArray(choices) && choices.length === 0;
    },
    usage: () => usage,
    model: () => model,
    errorClass: () => error,
  };
}

const RESPONSES_FINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Responses API: the terminal event carries the whole response with its usage. */
function responsesTap(): StreamTap {
  let usage: TokenUsage | null = null;
  let model: string | null = null;
  let error: string | null = null;
  return {
    onEvent({ event, data }) {
      const type = event ?? EVENT_TYPE.exec(data)?.[1];
      if (type === 'error') error = stringField(parseObject(data), 'code') ?? 'stream_error';
      if (type === undefined || !RESPONSES_FINAL.has(type)) return false;
      const response = parseObject(data)?.response as Record<string, unknown> | undefined;
      usage = usageFromOpenAIResponses(response?.usage) ?? usage;
      model = stringField(response, 'model') ?? model;
      if (type === 'response.failed') error = stringField(response?.error, 'code') ?? 'response_failed';
      return false;
    },
    usage: () => usage,
    model: () => model,
    errorClass: () => error,
  };
}

/** Anthropic: input and cache counts in message_start, cumulative output in message_delta. */
function anthropicTap(): StreamTap {
  const accumulator = createAnthropicStreamUsage();
  let error: string | null = null;
  let started = false;
  let finalUsage = false;
  return {
    onEvent({ event, data }) {
      const type = event ?? EVENT_TYPE.exec(data)?.[1];
      if (type === 'message_start') {
        started = true;
        accumulator.onMessageStart(parseObject(data)?.message);
      } else if (type === 'message_delta') {
        const usage = parseObject(data)?.usage;
        finalUsage ||= usage !== undefined && usage !== null;
        accumulator.onMessageDelta(usage);
      } else if (type === 'error') error = errorClassOf(parseObject(data));
      return false;
    },
    usage: () => accumulator.result(),
    model: () => accumulator.model(),
    // message_start's output count is a placeholder: without message_delta the real one never came.
    errorClass: () => error ?? (started && !finalUsage ? 'usage_incomplete' : null),
  };
}

export function createStreamTap(endpoint: Endpoint, stripUsageChunk: boolean): StreamTap {
  if (endpoint === 'messages') return anthropicTap();
  if (endpoint === 'responses') return responsesTap();
  return openAIChunkTap(stripUsageChunk);
}
