import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFlavor, Endpoint, UsageSink } from '../../contracts/usage.ts';
import { ApexError, sendError } from '../http/errors.ts';
import { relayedResponseHeaders } from '../http/headers.ts';
import { callerKeyId } from '../http/identity.ts';
import type { ProxyMetrics } from '../metrics.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { cancelUpstream, type Cancellation } from '../upstream/agents.ts';
import { openExchange, toUsageEvent, type Exchange } from './exchange.ts';
import { readBufferedOutcome, transportError } from './outcome.ts';
import { prepareRequest, type PreparedRequest } from './prepare.ts';
import { relayEventStream } from './streamed.ts';
import { createStreamTap } from './taps.ts';

export interface Logger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ForwardContext {
  runtime: ProxyRuntime;
  sink: UsageSink;
  metrics: ProxyMetrics;
  logger: Logger;
}

/** Proxies one model call and records its usage event, whatever happens. */
export async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  route: { api: ApiFlavor; endpoint: Endpoint; query: string },
  context: ForwardContext,
): Promise<void> {
  const exchange = openExchange(route.api, route.endpoint);
  exchange.keyId = callerKeyId(req.headers);
  exchange.project = headerValue(req.headers['x-apex-project']);
  const cancellation: Cancellation = { cancelled: false, request: null };
  res.once('close', () => {
    if (!res.writableFinished) cancelUpstream(cancellation);
  });
  let prepared: PreparedRequest | null = null;
  try {
    prepared = await prepareRequest(req, route.query, exchange, context.runtime);
    const upstream = await prepared.target.send({
      path: prepared.path,
      headers: prepared.headers,
      body: prepared.body,
      cancellation,
    });
    exchange.status = upstream.statusCode ?? 502;
    await relayResponse(exchange, res, upstream, prepared);
  } catch (error) {
    handleFailure(error, exchange, res, prepared, cancellation.cancelled, context.logger);
  } finally {
    const event = toUsageEvent(exchange, context.runtime.pricing);
    context.sink.record(event);
    context.metrics.observe(event);
  }
}

async function relayResponse(
  exchange: Exchange,
  res: ServerResponse,
  upstream: IncomingMessage,
  prepared: PreparedRequest,
): Promise<void> {
  const headers = relayedResponseHeaders(upstream.headers, exchange.id);
  const contentType = upstream.headers['content-type'] ?? '';
  if (exchange.status < 400 && contentType.includes('text/event-stream')) {
    res.writeHead(exchange.status, headers);
    res.flushHeaders();
    const tap = createStreamTap(exchange.endpoint, prepared.stripUsageChunk);
    await relayEventStream(exchange, res, upstream, tap, prepared.stripUsageChunk);
    exchange.usage = tap.usage();
    exchange.modelServed = tap.model();
    exchange.errorClass ??= tap.errorClass() ?? (exchange.usage ? null : 'usage_missing');
    return;
  }
  const body = await readAll(upstream);
  headers['content-length'] = body.length;
  res.writeHead(exchange.status, headers);
  res.end(body);
  readBufferedOutcome(exchange, body);
}

function handleFailure(
  error: unknown,
  exchange: Exchange,
  res: ServerResponse,
  prepared: PreparedRequest | null,
  clientGone: boolean,
  logger: Logger,
): void {
  if (clientGone) {
    exchange.status = 499;
    exchange.errorClass = 'client_closed_request';
    return;
  }
  const apexError = transportError(
    error,
    exchange.deployment?.providerName ?? '',
    prepared?.target.origin ?? '',
  );
  if (!(error instanceof ApexError) && !isTransportFailure(error)) {
    logger.error({ err: error, requestId: exchange.id }, 'unexpected error while proxying');
  }
  exchange.status = apexError.status;
  exchange.errorClass = apexError.code ?? apexError.kind;
  sendError(res, exchange.api, apexError, exchange.id);
}

function isTransportFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('E') || code === 'APEX_UPSTREAM_TIMEOUT');
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    size += chunk.length;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function headerValue(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}
