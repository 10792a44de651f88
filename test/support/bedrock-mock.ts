/**
 * A stand-in for bedrock-runtime.{region}.amazonaws.com: POST /model/{modelId}/converse answers
 * Converse JSON, POST /model/{modelId}/converse-stream answers the binary
 * application/vnd.amazon.eventstream framing the AWS SDK decodes (one message per event, headers
 * :message-type, :event-type or :exception-type, :content-type). Every request must carry a SigV4
 * Authorization header for the expected access key, region and service, as real Bedrock demands.
 * Shapes follow the Bedrock API Reference (Converse, ConverseStream, ConverseStreamOutput, Errors).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import { verifySigV4 } from './sigv4.ts';

export interface BedrockRequest {
  method: string;
  /** The path as received, model id still URL-encoded. */
  path: string;
  modelId: string;
  operation: 'converse' | 'converse-stream' | null;
  headers: IncomingHttpHeaders;
  json: unknown;
  /** The body exactly as received. */
  body: Buffer;
}

/** One ConverseStreamOutput member as an object ({messageStart: {...}}, {throttlingException: {...}}). */
export type StreamEvent = Record<string, unknown>;

export type BedrockReply =
  | { kind: 'converse'; body: unknown }
  | {
      kind: 'stream';
      events: StreamEvent[];
      /** Sent after this many events are out, the rest wait for `gate` (a model still thinking). */
      pauseAfter?: number;
      gate?: Promise<void>;
    }
  | { kind: 'error'; status: number; type: string; message: string }
  /** Never answers (a model that does not respond). */
  | { kind: 'hang' };

export type BedrockHandler = (request: BedrockRequest) => BedrockReply;

export interface BedrockMock {
  url: string;
  requests: BedrockRequest[];
  /** Answers whose connection closed before they were complete (the caller gave up). */
  abandoned(): number;
  setHandler(handler: BedrockHandler): void;
  close(): Promise<void>;
}

const EXCEPTIONS = new Set([
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
]);

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** The documented Converse example answer: one text block, end_turn, usage and latency. */
export const CONVERSE_TEXT = {
  output: { message: { role: 'assistant', content: [{ text: 'Hello from Bedrock.' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 25, outputTokens: 6, totalTokens: 31 },
  metrics: { latencyMs: 412 },
};

export const STREAM_TEXT: StreamEvent[] = [
  { messageStart: { role: 'assistant' } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hello ' } } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'from Bedrock.' } } },
  { contentBlockStop: { contentBlockIndex: 0 } },
  { messageStop: { stopReason: 'end_turn' } },
  {
    metadata: {
      usage: { inputTokens: 25, outputTokens: 6, totalTokens: 31 },
      metrics: { latencyMs: 388 },
    },
  },
];

const defaultHandler: BedrockHandler = (request) =>
  request.operation === 'converse-stream'
    ? { kind: 'stream', events: STREAM_TEXT }
    : { kind: 'converse', body: CONVERSE_TEXT };

/** `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=..., Signature=...` */
export function isSigV4For(authorization: string | undefined, accessKeyId: string, region: string): boolean {
  const pattern = new RegExp(
    `^AWS4-HMAC-SHA256 Credential=${escape(accessKeyId)}/\\d{8}/${escape(region)}/bedrock/aws4_request, ` +
      'SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$',
  );
  return pattern.test(authorization ?? '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** With `secretAccessKey`, the signature itself is checked too, not only the header's form. */
export interface ExpectedSigner {
  accessKeyId: string;
  region: string;
  secretAccessKey?: string;
}

export async function startBedrockMock(expect: ExpectedSigner): Promise<BedrockMock> {
  let handler = defaultHandler;
  const requests: BedrockRequest[] = [];
  let abandoned = 0;
  const server = createServer({ keepAlive: true }, (req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const request = recordRequest(req.method ?? 'GET', req.url ?? '/', req.headers, body);
      requests.push(request);
      res.once('close', () => {
        if (!res.writableFinished) abandoned++;
      });
      if (!isSignedBy(expect, request)) {
        const denied = 'The security token included in the request is invalid.';
        return void sendError(res, {
          kind: 'error',
          status: 403,
          type: 'UnrecognizedClientException',
          message: denied,
        });
      }
      if (request.operation === null) {
        return void sendError(res, {
          kind: 'error',
          status: 404,
          type: 'UnknownOperationException',
          message: '',
        });
      }
      void answer(res, handler(request));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    abandoned: () => abandoned,
    setHandler: (next) => {
      handler = next;
    },
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

function recordRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): BedrockRequest {
  const match = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(path);
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  return {
    method,
    path,
    modelId: match ? decodeURIComponent(match[1]!) : '',
    operation: method === 'POST' && match ? (match[2] as 'converse' | 'converse-stream') : null,
    headers,
    json,
    body,
  };
}

async function answer(res: ServerResponse, reply: BedrockReply): Promise<void> {
  if (reply.kind === 'error') return sendError(res, reply);
  if (reply.kind === 'hang') return;
  if (reply.kind === 'converse') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
    return void res.end(JSON.stringify(reply.body));
  }
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': randomUUID(),
  });
  for (const [index, event] of reply.events.entries()) {
    if (index === reply.pauseAfter) await reply.gate;
    if (res.destroyed) return;
    res.write(encodeEvent(event));
  }
  res.end();
}

/** Real Bedrock pads every event with a "p" field of random length; the SDK must ignore it. */
export function encodeEvent(event: StreamEvent): Uint8Array {
  const [name, payload] = Object.entries(event)[0]!;
  const exception = EXCEPTIONS.has(name);
  const body = exception
    ? payload
    : { ...(payload as object), p: 'abcdefghij'.slice(0, 1 + (name.length % 9)) };
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: exception ? 'exception' : 'event' },
      [exception ? ':exception-type' : ':event-type']: { type: 'string', value: name },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(body)),
  });
}

/** Bedrock's error answer: the type in x-amzn-errortype (with Coral's namespace suffix), {message}. */
function sendError(res: ServerResponse, reply: Extract<BedrockReply, { kind: 'error' }>): void {
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${reply.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify({ message: reply.message }));
}

function isSignedBy(expect: ExpectedSigner, request: BedrockRequest): boolean {
  if (!isSigV4For(request.headers.authorization, expect.accessKeyId, expect.region)) return false;
  return expect.secretAccessKey === undefined || verifySigV4(request, expect.secretAccessKey);
}
