import { z } from 'zod';
import { contentText, requestsJson, type GenerationEndpoint } from './request-text.ts';

/**
 * Cascades: send a request to the cheap model first and retry on the next model of its chain
 * when the answer shows it was out of its depth.
 *
 * Only non-streamed requests are cascaded. A streamed response's bytes reach the client as
 * they arrive, so by the time a weak answer is recognizable it has already been delivered and
 * cannot be swapped for the stronger model's (see `canCascade`).
 */

export const cascadeConfigSchema = z.strictObject({
  /** Ordered model chains, cheapest first, e.g. [["gpt-4o-mini", "gpt-4o"]]. */
  chains: z.array(z.array(z.string().min(1)).min(2)).default([]),
  /** Most models tried for one request, the first included. */
  maxAttempts: z.int().min(1).max(5).default(2),
  /** Mean token log-probability below which an answer counts as unsure (when logprobs were returned). */
  minMeanLogprob: z.number().max(0).default(-1),
  /** A "length" stop with less visible text than this means the model ran out before answering. */
  minVisibleChars: z.int().nonnegative().default(20),
});
export type CascadeConfig = z.output<typeof cascadeConfigSchema>;

export type EscalationReason =
  | 'rate_limited'
  | 'overloaded'
  | 'upstream_error'
  | 'context_length'
  | 'invalid_response'
  | 'refusal'
  | 'truncated'
  | 'empty'
  | 'invalid_json'
  | 'low_confidence';

type Json = Record<string, unknown>;

/** What every API's answer boils down to for the escalation checks. */
interface Answer {
  text: string;
  finish: 'length' | 'other';
  refused: boolean;
  toolCalls: boolean;
  logprobs: number[];
}

// Log-probabilities are only trusted over enough tokens; a 3-token answer's mean is noise.
const MIN_LOGPROB_TOKENS = 8;
// Below this output cap, a "length" stop is the client's own choice, not the model failing.
const MIN_CAP_FOR_TRUNCATION = 64;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function numbers(values: unknown[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** True when a request may be cascaded: only whole (non-streamed) responses can be replaced. */
export function canCascade(request: Json): boolean {
  return request['stream'] !== true;
}

/** The models to try in order, starting with `model`; a model in no chain is tried alone. */
export function cascadePlan(config: CascadeConfig, model: string): string[] {
  for (const chain of config.chains) {
    const start = chain.indexOf(model);
    if (start === -1) continue;
    return [...new Set(chain.slice(start))].slice(0, config.maxAttempts);
  }
  return [model];
}

function statusSignal(status: number, body: Json | null): EscalationReason | null {
  const error = isObject(body?.['error']) ? (body['error'] as Json) : null;
  if (status === 529 || error?.['type'] === 'overloaded_error') return 'overloaded';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'upstream_error';
  const message = `${String(error?.['code'] ?? '')} ${String(error?.['message'] ?? '')}`;
  // The cheap model may have a smaller context window than the default one.
  if (/context_length_exceeded|context (?:length|window)|prompt is too long/i.test(message))
    return 'context_length';
  return null;
}

function chatAnswer(body: Json, legacy: boolean): Answer {
  const choice = asArray(body['choices'])[0];
  const c = isObject(choice) ? choice : {};
  const message = isObject(c['message']) ? c['message'] : {};
  const logprobs = isObject(c['logprobs']) ? c['logprobs'] : {};
  const refused = typeof message['refusal'] === 'string' && message['refusal'] !== '';
  return {
    text: legacy ? String(c['text'] ?? '') : contentText(message['content']),
    finish: c['finish_reason'] === 'length' ? 'length' : 'other',
    refused,
    toolCalls: asArray(message['tool_calls']).length > 0 || isObject(message['function_call']),
    logprobs: legacy
      ? numbers(asArray(logprobs['token_logprobs']))
      : numbers(asArray(logprobs['content']).map((t) => (isObject(t) ? t['logprob'] : null))),
  };
}

function messagesAnswer(body: Json): Answer {
  const blocks = asArray(body['content']);
  const stop = body['stop_reason'];
  return {
    text: contentText(blocks.filter((b) => isObject(b) && b['type'] === 'text')),
    finish: stop === 'max_tokens' ? 'length' : 'other',
    refused: stop === 'refusal',
    toolCalls: blocks.some(
      (b) => isObject(b) && (b['type'] === 'tool_use' || b['type'] === 'server_tool_use'),
    ),
    logprobs: [],
  };
}

function responsesAnswer(body: Json): Answer {
  const answer: Answer = { text: '', finish: 'other', refused: false, toolCalls: false, logprobs: [] };
  const texts: string[] = [];
  for (const item of asArray(body['output'])) {
    if (!isObject(item)) continue;
    if (item['type'] !== 'message') {
      // Function calls and built-in tool calls are a real answer even with no text.
      if (item['type'] !== 'reasoning') answer.toolCalls = true;
      continue;
    }
    for (const part of asArray(item['content'])) {
      if (!isObject(part)) continue;
      if (part['type'] === 'refusal') answer.refused = true;
      if (part['type'] !== 'output_text') continue;
      texts.push(String(part['text'] ?? ''));
      answer.logprobs.push(
        ...numbers(asArray(part['logprobs']).map((t) => (isObject(t) ? t['logprob'] : null))),
      );
    }
  }
  const incomplete = isObject(body['incomplete_details']) ? body['incomplete_details']['reason'] : null;
  answer.finish = incomplete === 'max_output_tokens' ? 'length' : 'other';
  answer.text = texts.join('');
  return answer;
}

function readAnswer(endpoint: GenerationEndpoint, body: Json): Answer {
  switch (endpoint) {
    case 'chat':
      return chatAnswer(body, false);
    case 'completions':
      return chatAnswer(body, true);
    case 'messages':
      return messagesAnswer(body);
    case 'responses':
      return responsesAnswer(body);
  }
}

function outputCap(request: Json): number | null {
  for (const key of ['max_completion_tokens', 'max_output_tokens', 'max_tokens']) {
    if (typeof request[key] === 'number') return request[key];
  }
  return null;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function answerSignal(
  answer: Answer,
  request: Json,
  wantsJson: boolean,
  config: SignalOptions,
): EscalationReason | null {
  if (answer.refused) return 'refusal';
  const visible = answer.text.trim();
  if (answer.finish === 'length') {
    const cap = outputCap(request);
    const clientCapped = cap !== null && cap < MIN_CAP_FOR_TRUNCATION;
    // A long answer that hit the cap would hit it on the stronger model too.
    return !clientCapped && !answer.toolCalls && visible.length < config.minVisibleChars ? 'truncated' : null;
  }
  if (visible === '' && !answer.toolCalls) return 'empty';
  if (wantsJson && visible !== '' && !isJson(visible)) return 'invalid_json';
  if (answer.logprobs.length >= MIN_LOGPROB_TOKENS) {
    const mean = answer.logprobs.reduce((sum, v) => sum + v, 0) / answer.logprobs.length;
    if (mean < config.minMeanLogprob) return 'low_confidence';
  }
  return null;
}

export type SignalOptions = Pick<CascadeConfig, 'minMeanLogprob' | 'minVisibleChars'>;

const DEFAULT_SIGNAL_OPTIONS: SignalOptions = { minMeanLogprob: -1, minVisibleChars: 20 };

/**
 * Why the cheap model's (non-streamed) response should be retried on the next model, or null to
 * keep it. `body` is the parsed response (null when it was not JSON); `request` is what was sent.
 * Client errors other than context overflow return null: the stronger model would reject them too.
 */
export function escalationSignal(
  endpoint: GenerationEndpoint,
  status: number,
  body: Json | null,
  request: Json,
  options: SignalOptions = DEFAULT_SIGNAL_OPTIONS,
): EscalationReason | null {
  if (status < 200 || status >= 300) return statusSignal(status, body);
  if (body === null) return 'invalid_response';
  if (isObject(body['error'])) return statusSignal(500, body);
  return answerSignal(readAnswer(endpoint, body), request, requestsJson(endpoint, request), options);
}
