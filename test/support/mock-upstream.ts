/**
 * A tiny scriptable HTTP server standing in for a provider API in tests.
 * It listens on 127.0.0.1 with an ephemeral port, records every request, and
 * answers with whatever reply description the current handler returns (see
 * mock-reply.ts). Connections are kept alive, as real provider endpoints do,
 * so proxy connection pooling is exercised too.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeReply } from './mock-reply.ts';
import type { MockReply } from './mock-reply.ts';

export type {
  HangReply,
  JsonReply,
  MockReply,
  RawReply,
  ReplyHeaders,
  ResetAfterReply,
  SseReply,
} from './mock-reply.ts';
export type { SseEvent } from './sse-frame.ts';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Path and query string exactly as received. */
  url: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The raw body as UTF-8 text ('' when there was none). */
  body: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

export type MockHandler = (request: RecordedRequest) => MockReply | Promise<MockReply>;

export interface MockUpstream {
  /** `http://127.0.0.1:<port>`; append the API's base path (e.g. '/v1') as its SDK expects. */
  url: string;
  /** Same as url: scheme, host and port, for clients that take an origin (Anthropic's SDK). */
  origin: string;
  port: number;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  setHandler(handler: MockHandler): void;
  /** Stops listening and destroys open sockets, including ones held by `hang` replies. Safe to call twice. */
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function recordRequest(req: IncomingMessage): Promise<RecordedRequest> {
  const body = await readBody(req);
  const rawUrl = req.url ?? '/';
  const parsed = new URL(rawUrl, 'http://mock.invalid');
  return {
    method: req.method ?? 'GET',
    path: parsed.pathname,
    url: rawUrl,
    query: parsed.searchParams,
    headers: req.headers,
    body,
    json: parseJson(body),
  };
}

/** A handler bug should fail the test loudly, not look like an upstream outage. */
function handlerFailure(error: unknown): MockReply {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'json', status: 500, body: { mockHandlerError: message } };
}

async function answer(handler: MockHandler, request: RecordedRequest, res: ServerResponse): Promise<void> {
  let reply: MockReply;
  try {
    reply = await handler(request);
  } catch (error) {
    reply = handlerFailure(error);
  }
  await writeReply(res, reply);
}

export async function startMockUpstream(initialHandler: MockHandler): Promise<MockUpstream> {
  let handler = initialHandler;
  const requests: RecordedRequest[] = [];
  const server = createServer({ keepAlive: true }, (req, res) => {
    recordRequest(req)
      .then((request) => {
        requests.push(request);
        return answer(handler, request, res);
      })
      // The client went away mid-request; nobody is left to answer.
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: origin,
    origin,
    port,
    requests,
    setHandler(next) {
      handler = next;
    },
    close() {
      // Idempotent: afterEach hooks often close an upstream a test already closed.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
