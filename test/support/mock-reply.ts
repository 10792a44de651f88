/**
 * Reply descriptions a mock upstream handler returns, and the code that writes
 * them to a node:http response. The fault kinds (hang, reset-after, raw) exist
 * so proxy tests can reproduce what real providers and networks do mid-stream.
 */
import type { ServerResponse } from 'node:http';
import { frameSseEvent } from './sse-frame.ts';
import type { SseEvent } from './sse-frame.ts';

export type ReplyHeaders = Record<string, string>;

/** A complete JSON body. */
export interface JsonReply {
  kind: 'json';
  status?: number;
  headers?: ReplyHeaders;
  body: unknown;
  /** Wait this long before answering at all (a slow upstream). */
  delayMs?: number;
}

/** A complete SSE stream, `content-type: text/event-stream`. */
export interface SseReply {
  kind: 'sse';
  status?: number;
  headers?: ReplyHeaders;
  events: SseEvent[];
  /** Pause before each event; headers go out immediately, so time-to-first-byte stays short. */
  delayMs?: number;
}

/**
 * Never finishes. Without `events` nothing is sent at all (not even headers);
 * with `events` the status, headers and those events are sent, then silence:
 * an upstream that stalls mid-stream.
 */
export interface HangReply {
  kind: 'hang';
  status?: number;
  headers?: ReplyHeaders;
  events?: SseEvent[];
}

/** Streams the first `afterEvents` events, then destroys the socket mid-response. */
export interface ResetAfterReply {
  kind: 'reset-after';
  status?: number;
  headers?: ReplyHeaders;
  events: SseEvent[];
  afterEvents: number;
  delayMs?: number;
}

/** Writes `chunks` byte for byte (e.g. malformed SSE, or a body that lies about its type). */
export interface RawReply {
  kind: 'raw';
  status?: number;
  headers?: ReplyHeaders;
  chunks: Array<string | Uint8Array>;
  delayMs?: number;
}

export type MockReply = JsonReply | SseReply | HangReply | ResetAfterReply | RawReply;

const SSE_HEADERS: ReplyHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/** Resolves after `ms`, or as soon as the client goes away, whichever is first. */
function pause(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/** Resolves once the chunk has been handed to the socket, so a later destroy cannot drop it. */
function writeFlushed(res: ServerResponse, chunk: string | Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    res.write(chunk, () => resolve());
  });
}

async function writeChunks(
  res: ServerResponse,
  chunks: Array<string | Uint8Array>,
  delayMs = 0,
): Promise<void> {
  for (const chunk of chunks) {
    if (delayMs > 0) await pause(res, delayMs);
    if (res.destroyed) return;
    await writeFlushed(res, chunk);
  }
}

function startStream(res: ServerResponse, status: number | undefined, headers: ReplyHeaders): void {
  res.writeHead(status ?? 200, headers);
  // Headers go out before the first event, as a real streaming upstream's do.
  res.flushHeaders();
}

async function writeJson(res: ServerResponse, reply: JsonReply): Promise<void> {
  if (reply.delayMs) await pause(res, reply.delayMs);
  if (res.destroyed) return;
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}

async function writeSse(res: ServerResponse, reply: SseReply): Promise<void> {
  startStream(res, reply.status, { ...SSE_HEADERS, ...reply.headers });
  await writeChunks(res, reply.events.map(frameSseEvent), reply.delayMs);
  res.end();
}

async function writeHang(res: ServerResponse, reply: HangReply): Promise<void> {
  if (reply.events === undefined) return;
  startStream(res, reply.status, { ...SSE_HEADERS, ...reply.headers });
  await writeChunks(res, reply.events.map(frameSseEvent));
}

async function writeResetAfter(res: ServerResponse, reply: ResetAfterReply): Promise<void> {
  startStream(res, reply.status, { ...SSE_HEADERS, ...reply.headers });
  const sent = reply.events.slice(0, reply.afterEvents).map(frameSseEvent);
  await writeChunks(res, sent, reply.delayMs);
  res.socket?.destroy();
}

async function writeRaw(res: ServerResponse, reply: RawReply): Promise<void> {
  startStream(res, reply.status, { ...reply.headers });
  await writeChunks(res, reply.chunks, reply.delayMs);
  res.end();
}

export async function writeReply(res: ServerResponse, reply: MockReply): Promise<void> {
  switch (reply.kind) {
    case 'json':
      return writeJson(res, reply);
    case 'sse':
      return writeSse(res, reply);
    case 'hang':
      return writeHang(res, reply);
    case 'reset-after':
      return writeResetAfter(res, reply);
    case 'raw':
      return writeRaw(res, reply);
  }
}
