/**
 * What a fault-injecting upstream answers: each provider's real success bodies and event streams
 * (built by test/mocks, so usage and event shapes match the APIs), its error bodies and rate-limit
 * headers, and the network faults a proxy meets in production: silence, resets, garbled streams.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { anthropicError } from '../mocks/anthropic-wire.ts';
import { message, messageStreamEvents } from '../mocks/anthropic-messages.ts';
import { chatCompletion, chatCompletionChunks, OPENAI_DONE_EVENT } from '../mocks/openai-chat.ts';
import { openaiError } from '../mocks/openai-wire.ts';
import type { JsonReply, RecordedRequest } from './mock-upstream.ts';
import { frameSseEvent } from './sse-frame.ts';

export type FaultApi = 'openai' | 'anthropic';

/** How one request is answered. */
export type Fault =
  /** A normal answer (JSON, or SSE when the request streams), after `delayMs` if given. */
  | { kind: 'ok'; delayMs?: number }
  /** A slow upstream: nothing at all for `delayMs`, then a normal answer. */
  | { kind: 'slow'; delayMs: number }
  /** 429 with the provider's body and exhausted rate-limit headers; retry-after in s or ms. */
  | { kind: 'rate-limit'; retryAfterSeconds?: number; retryAfterMs?: number }
  /** An error status (400, 500, 503, 529...) with the provider's error body. */
  | { kind: 'error'; status: number }
  /** Never answers, not even headers. */
  | { kind: 'hang' }
  /** Sends the 200 headers and the first `afterEvents` events (default 0), then goes silent. */
  | { kind: 'stall'; afterEvents?: number }
  /** Destroys the connection before any byte of the response. */
  | { kind: 'reset' }
  /** Sends the headers and `afterEvents` events (a JSON answer: half its body), then destroys the socket. */
  | { kind: 'reset-mid-stream'; afterEvents: number }
  /** A stream that breaks the SSE rules (for a JSON request: a body that is not JSON). */
  | { kind: 'malformed'; variant: MalformedVariant };

/**
 * garbage: lines that are no SSE field between the events, and the usage event replaced by junk;
 * broken-json: the usage event's `data:` is cut mid-JSON; truncated: the final events never finish.
 */
export type MalformedVariant = 'garbage' | 'broken-json' | 'truncated';

/** The request as the reply builders need it. */
export interface FaultRequestInfo {
  api: FaultApi;
  path: string;
  headers: IncomingHttpHeaders;
  json: Record<string, unknown> | null;
  stream: boolean;
}

/** A pending timer or socket a reply holds, released when the client goes away or the server closes. */
export type Cleanup = () => void;

export function apiOfPath(path: string): FaultApi | null {
  if (path.endsWith('/chat/completions')) return 'openai';
  if (path.endsWith('/messages')) return 'anthropic';
  return null;
}

/** The mock builders read the model and stream options from a RecordedRequest. */
function asRecorded(request: FaultRequestInfo): RecordedRequest {
  return {
    method: 'POST',
    path: request.path,
    url: request.path,
    query: new URLSearchParams(),
    headers: request.headers,
    body: '',
    json: request.json ?? undefined,
  };
}

function requestModel(request: FaultRequestInfo): string | undefined {
  const model = request.json?.model;
  return typeof model === 'string' ? model : undefined;
}

/** The success body of a non-streamed request. */
export function successJson(request: FaultRequestInfo): JsonReply {
  const model = requestModel(request);
  return request.api === 'openai' ? chatCompletion({ model }) : message({ model });
}

/** Every SSE frame of a successful stream, usage included (when the request asks for it, for OpenAI). */
export function successFrames(request: FaultRequestInfo): string[] {
  if (request.api === 'anthropic') return messageStreamEvents(asRecorded(request)).map(frameSseEvent);
  const chunks = chatCompletionChunks(asRecorded(request));
  return [...chunks, OPENAI_DONE_EVENT].map(frameSseEvent);
}

export function errorReply(api: FaultApi, status: number, retryAfter?: RetryAfter): JsonReply {
  const headers: Record<string, string> = {};
  if (retryAfter?.ms !== undefined) headers['retry-after-ms'] = String(retryAfter.ms);
  const options = { retryAfterSeconds: retryAfter?.seconds, headers };
  return api === 'openai'
    ? openaiError(status, {}, options)
    : anthropicError(status, undefined, undefined, options);
}

interface RetryAfter {
  seconds?: number;
  ms?: number;
}

function rateLimitReply(api: FaultApi, fault: { retryAfterSeconds?: number; retryAfterMs?: number }) {
  const seconds =
    fault.retryAfterSeconds ??
    (fault.retryAfterMs === undefined ? undefined : Math.ceil(fault.retryAfterMs / 1000));
  return errorReply(api, 429, { seconds, ms: fault.retryAfterMs });
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** The index of the frame carrying usage: the last JSON frame before [DONE] / message_stop. */
function usageFrameIndex(request: FaultRequestInfo, frames: string[]): number {
  const marker = request.api === 'openai' ? '"usage":{' : 'event: message_delta';
  for (let index = frames.length - 1; index >= 0; index--) if (frames[index]!.includes(marker)) return index;
  return Math.max(0, frames.length - 2);
}

/** The bytes of a malformed stream, as the chunks to write. */
export function malformedFrames(request: FaultRequestInfo, variant: MalformedVariant): string[] {
  const frames = successFrames(request);
  const usageAt = usageFrameIndex(request, frames);
  if (variant === 'garbage') {
    const noisy = frames.map((frame) => `this line is no sse field\n${frame}`);
    noisy[usageAt] = 'data: \u0000\u00ff not json at all }{\n\n';
    return noisy;
  }
  if (variant === 'broken-json') {
    const frame = frames[usageAt]!;
    frames[usageAt] = `${frame.slice(0, Math.floor(frame.length / 2)).trimEnd()}\n\n`;
    return frames;
  }
  // Truncated: the usage frame is cut mid-line and nothing follows it, not even the blank line.
  const cut = frames[usageAt]!;
  return [...frames.slice(0, usageAt), cut.slice(0, Math.floor(cut.length / 2))];
}

/** Writes a chunk and resolves once it left for the socket, so a destroy right after cannot drop it. */
function writeFlushed(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(chunk, () => resolve());
  });
}

/** Waits `ms`, or less when the client goes away; `hold` registers the timer's release. */
export function wait(res: ServerResponse, ms: number, hold: (cleanup: Cleanup) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const release = (): void => {
      clearTimeout(timer);
      resolve();
    };
    res.once('close', release);
    hold(release);
  });
}

export async function writeJsonReply(res: ServerResponse, reply: JsonReply): Promise<string> {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  res.end(text);
  return text;
}

/** Sends the headers and `frames`; ends the response unless `leaveOpen`. Returns what was sent. */
export async function writeStream(res: ServerResponse, frames: string[], leaveOpen = false): Promise<string> {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  for (const frame of frames) await writeFlushed(res, frame);
  if (!leaveOpen && !res.destroyed) res.end();
  return frames.join('');
}

/** The answer to a fault that ends in a normal reply or an error body; null for network faults. */
export function plainReply(request: FaultRequestInfo, fault: Fault): JsonReply | 'stream' | null {
  switch (fault.kind) {
    case 'ok':
    case 'slow':
      return request.stream ? 'stream' : successJson(request);
    case 'rate-limit':
      return rateLimitReply(request.api, fault);
    case 'error':
      return errorReply(request.api, fault.status);
    default:
      return null;
  }
}
