/**
 * OpenAI legacy Completions (`POST /v1/completions`) payloads.
 *
 * Reference: https://platform.openai.com/docs/api-reference/completions/object.
 * The object is `text_completion` with `choices[{text,index,logprobs,finish_reason}]`;
 * streamed chunks share that object type, the last one before the optional
 * usage chunk carries an empty `text` and the `finish_reason`, and
 * `stream_options.include_usage` adds a `choices: []` usage chunk just as in
 * Chat Completions. The stream ends with `data: [DONE]`.
 */
import type { JsonReply, RecordedRequest, SseEvent, SseReply } from '../support/mock-upstream.ts';
import { dataOnlyJsonEvent } from '../support/sse-frame.ts';
import { OPENAI_DONE_EVENT } from './openai-chat.ts';
import { DEFAULT_OPENAI_USAGE, legacyCompletionUsage, openaiHeaders, openaiJson } from './openai-wire.ts';
import type { ChatUsage } from './openai-wire.ts';
import { randomId, requestModel, requestSubField, splitIntoDeltas, unixSeconds } from './wire-common.ts';

export const DEFAULT_COMPLETIONS_MODEL = 'gpt-3.5-turbo-instruct';
export const DEFAULT_COMPLETION_TEXT = ' This is a legacy completion.';

export interface CompletionOptions {
  model?: string;
  text?: string;
  usage?: ChatUsage;
  finishReason?: 'stop' | 'length' | 'content_filter';
}

export function completion(options: CompletionOptions = {}): JsonReply {
  return openaiJson({
    id: randomId('cmpl-', 29),
    object: 'text_completion',
    created: unixSeconds(),
    model: options.model ?? DEFAULT_COMPLETIONS_MODEL,
    choices: [
      {
        text: options.text ?? DEFAULT_COMPLETION_TEXT,
        index: 0,
        logprobs: null,
        finish_reason: options.finishReason ?? 'stop',
      },
    ],
    usage: options.usage ?? legacyCompletionUsage(DEFAULT_OPENAI_USAGE),
  });
}

export function completionStream(
  request: RecordedRequest | undefined,
  options: CompletionOptions = {},
): SseReply {
  const includeUsage = requestSubField(request, 'stream_options', 'include_usage') === true;
  const base = {
    id: randomId('cmpl-', 29),
    object: 'text_completion',
    created: unixSeconds(),
    model: options.model ?? requestModel(request, DEFAULT_COMPLETIONS_MODEL),
  };
  const textChunk = (text: string, finishReason: string | null): SseEvent =>
    dataOnlyJsonEvent({
      ...base,
      choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const events = [
    ...splitIntoDeltas(options.text ?? DEFAULT_COMPLETION_TEXT).map((text) => textChunk(text, null)),
    textChunk('', options.finishReason ?? 'stop'),
  ];
  if (includeUsage) {
    const usage = options.usage ?? legacyCompletionUsage(DEFAULT_OPENAI_USAGE);
    events.push(dataOnlyJsonEvent({ ...base, choices: [], usage }));
  }
  return { kind: 'sse', headers: openaiHeaders(), events: [...events, OPENAI_DONE_EVENT] };
}
