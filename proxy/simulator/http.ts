/** Tiny node:http helpers: the simulator has no framework on purpose. */
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type Headers = Record<string, string>;

export type BodyResult = { ok: true; value: unknown } | { ok: false; reason: 'too_large' | 'invalid_json' };

export async function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, reason: 'too_large' };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return { ok: true, value: text.length === 0 ? {} : JSON.parse(text) };
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function startEventStream(res: ServerResponse, headers: Headers = {}): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  // Send headers now: clients measure time to first byte from here, like a real provider.
  res.flushHeaders();
}

/** One SSE frame; OpenAI chat omits the event line, Responses and Anthropic name every event. */
export function writeEvent(res: ServerResponse, data: unknown, event?: string): void {
  if (res.destroyed || res.writableEnded) return;
  const body = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(event ? `event: ${event}\ndata: ${body}\n\n` : `data: ${body}\n\n`);
}

export function endStream(res: ServerResponse): void {
  if (!res.destroyed && !res.writableEnded) res.end();
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
