import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApexError, errorBody } from '../http/errors.ts';
import { relayedResponseHeaders } from '../http/headers.ts';
import { refusalBody, refusalHeaders, type Refusal } from '../keys/refusal.ts';

/**
 * A plain HTTP answer to an upgrade request that is not accepted. Once a socket has been handed to
 * the `upgrade` event there is no ServerResponse, so the answer is written on the socket itself.
 */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** The most of an upstream's refusal body relayed to the client; error bodies are small. */
const MAX_RELAYED_BODY = 64 * 1024;

export function errorReply(error: ApexError, requestId: string): HttpReply {
  return jsonReply(error.status, errorBody('openai', error, requestId), requestId);
}

export function refusalReply(refusal: Refusal, requestId: string): HttpReply {
  const reply = jsonReply(refusal.status, refusalBody('openai', refusal, requestId), requestId);
  Object.assign(reply.headers, refusalHeaders(refusal));
  return reply;
}

/** Upgrades on paths Apex does not serve get a bare 404, as a web server would answer them. */
export function notFoundReply(): HttpReply {
  return { status: 404, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Not Found') };
}

function jsonReply(status: number, body: string, requestId: string): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-apex-request-id': requestId },
    body: Buffer.from(body),
  };
}

/** Writes the reply and closes the connection: a refused upgrade never becomes a keep-alive connection. */
export function writeReply(socket: Duplex, reply: HttpReply): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const lines = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}`];
  for (const [name, value] of Object.entries(reply.headers)) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  lines.push('connection: close', `content-length: ${reply.body.length}`, '', '');
  socket.once('finish', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), reply.body]));
}

/**
 * The upstream's own refusal of the handshake (a 401 for a bad key, a 404 for an unknown
 * deployment), status, useful headers and body, so the client sees what it would have seen directly.
 */
export function readUpstreamRefusal(response: IncomingMessage, requestId: string): Promise<HttpReply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (): void => {
      const headers: HttpReply['headers'] = {};
      for (const [name, value] of Object.entries(relayedResponseHeaders(response.headers, requestId))) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value : String(value);
      }
      resolve({ status: response.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
    };
    response.on('data', (chunk: Buffer) => {
      if (size >= MAX_RELAYED_BODY) return;
      const part = chunk.subarray(0, MAX_RELAYED_BODY - size);
      chunks.push(part);
      size += part.length;
    });
    response.once('end', finish);
    response.once('error', finish);
    response.once('aborted', finish);
  });
}

/** What the client hears when the upstream could not be reached at all. */
export function unreachableReply(error: Error, providerName: string, requestId: string): HttpReply {
  const timedOut = /timed out/i.test(error.message);
  const apexError = timedOut
    ? new ApexError(
        'upstream_timeout',
        `provider "${providerName}" did not complete the WebSocket handshake in time`,
      )
    : new ApexError(
        'upstream_unreachable',
        `could not open a WebSocket to provider "${providerName}": ${error.message}`,
      );
  return errorReply(apexError, requestId);
}
