/**
 * Reads a demo request's response to the end (streams included) and pulls
 * out what the caller reports: token usage, time to first event, and a short
 * error description, whatever API flavor answered.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { Response } from 'undici';
import type { ApiFlavor } from '../../contracts/usage.ts';
import { isRecord } from './prompt.ts';

export interface DemoUsage {
  /** The whole prompt, cached parts included (Anthropic's parts are added up). */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export interface ReadOutcome {
  usage?: DemoUsage;
  /** Milliseconds from the request start to the first streamed event. */
  ttftMs: number | null;
  error?: string;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function usageOf(usage: Record<string, unknown>, api: ApiFlavor): DemoUsage {
  if (api === 'anthropic') {
    const cached = num(usage.cache_read_input_tokens);
    const input = num(usage.input_tokens) + cached + num(usage.cache_creation_input_tokens);
    return { inputTokens: input, outputTokens: num(usage.output_tokens), cachedInputTokens: cached };
  }
  if ('prompt_tokens' in usage) {
    const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
    return {
      inputTokens: num(usage.prompt_tokens),
      outputTokens: num(usage.completion_tokens),
      cachedInputTokens: num(details.cached_tokens),
    };
  }
  const details = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
  return {
    inputTokens: num(usage.input_tokens),
    outputTokens: num(usage.output_tokens),
    cachedInputTokens: num(details.cached_tokens),
  };
}

/** Finds usage wherever the flavor puts it: top level, in a Responses event, or in message_start. */
function findUsage(payload: unknown): Record<string, unknown> | undefined {
  if (!isRecord(payload)) return undefined;
  if (isRecord(payload.usage)) return payload.usage;
  if (isRecord(payload.response) && isRecord(payload.response.usage)) return payload.response.usage;
  if (isRecord(payload.message) && isRecord(payload.message.usage)) return payload.message.usage;
  return undefined;
}

function errorText(status: number, body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : {};
    return `${status} ${String(error.type ?? 'error')}: ${String(error.message ?? body.slice(0, 200))}`;
  } catch {
    return `${status}: ${body.slice(0, 200)}`;
  }
}

async function readJson(response: Response, api: ApiFlavor): Promise<ReadOutcome> {
  const text = await response.text();
  if (!response.ok) return { ttftMs: null, error: errorText(response.status, text) };
  const usage = findUsage(JSON.parse(text));
  return { ttftMs: null, ...(usage ? { usage: usageOf(usage, api) } : {}) };
}

/** Later usage replaces earlier: every provider reports cumulative totals. */
async function readStream(response: Response, api: ApiFlavor, startedAt: number): Promise<ReadOutcome> {
  const outcome: ReadOutcome = { ttftMs: null };
  let usage: Record<string, unknown> = {};
  if (!response.body) return outcome;
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  for await (const event of events) {
    outcome.ttftMs ??= performance.now() - startedAt;
    if (event.data === '[DONE]') continue;
    const payload: unknown = JSON.parse(event.data);
    if (isRecord(payload) && payload.type === 'error') outcome.error = errorText(response.status, event.data);
    const found = findUsage(payload);
    if (found) usage = { ...usage, ...found };
  }
  if (Object.keys(usage).length > 0) outcome.usage = usageOf(usage, api);
  return outcome;
}

export function readOutcome(response: Response, api: ApiFlavor, startedAt: number): Promise<ReadOutcome> {
  const streamed = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  return streamed && response.ok ? readStream(response, api, startedAt) : readJson(response, api);
}
