import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ApiFlavor, Endpoint, UsageEvent, UsageSink } from '../../contracts/usage.ts';
import { decisionHeaders } from '../optimizers/decisions.ts';
import { planRequest, type RequestPlan } from '../optimizers/pipeline.ts';
import type { OptimizerState } from '../optimizers/state.ts';
import { replayCached, StreamCapture } from './cache-replay.ts';
import { ApexError, sendError } from '../http/errors.ts';
import { relayedResponseHeaders } from '../http/headers.ts';
import { callerKeyId } from '../http/identity.ts';
import type { ProxyMetrics } from '../metrics.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { cancelUpstream, type Cancellation } from '../upstream/agents.ts';
import { openExchange, toUsageEvent, type Exchange } from './exchange.ts';
import { readBufferedOutcome, transportError } from './outcome.ts';
import { prepareUpstream, readIncoming, type PreparedRequest } from './prepare.ts';
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
  optimizers: OptimizerState;
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
  let plan: RequestPlan | null = null;
  const capture = new StreamCapture();
  try {
    const incoming = await readIncoming(req, route.query, exchange, context.runtime);
    plan = planRequest(incoming, req.headers, exchange, {
      runtime: context.runtime,
      state: context.optimizers,
    });
    if (plan.cached) return await replayCached(res, exchange, plan.cached, answerHeaders(exchange, {}));
    prepared = prepareUpstream(req, incoming, plan.body, plan.deployment, exchange, context.runtime);
    exchange.deployment = plan.deployment;
    const upstream = await prepared.target.send({
      path: prepared.path,
      headers: prepared.headers,
      body: prepared.body,
      cancellation,
    });
    exchange.status = upstream.statusCode ?? 502;
    await relayResponse(exchange, res, upstream, prepared, plan.exactKey ? capture : null);
  } catch (error) {
    handleFailure(error, exchange, res, prepared, cancellation.cancelled, context.logger);
  } finally {
    const event = toUsageEvent(exchange, context.runtime.pricing);
    context.sink.record(event);
    context.metrics.observe(event);
    if (plan?.exactKey) remember(context.optimizers, plan.exactKey, exchange, event, capture);
  }
}

/** Upstream headers worth relaying plus what Apex decided. */
function answerHeaders(exchange: Exchange, upstream: IncomingMessage['headers']): OutgoingHttpHeaders {
  return { ...relayedResponseHeaders(upstream, exchange.id), ...decisionHeaders(exchange) };
}

async function relayResponse(
  exchange: Exchange,
  res: ServerResponse,
  upstream: IncomingMessage,
  prepared: PreparedRequest,
  capture: StreamCapture | null,
): Promise<void> {
  const headers = answerHeaders(exchange, upstream.headers);
  const contentType = upstream.headers['content-type'] ?? '';
  if (exchange.status < 400 && contentType.includes('text/event-stream')) {
    res.writeHead(exchange.status, headers);
    res.flushHeaders();
    const tap = createStreamTap(exchange.endpoint, prepared.stripUsageChunk);
    await relayEventStream(exchange, res, upstream, tap, prepared.stripUsageChunk, capture);
    exchange.usage = tap.usage();
    exchange.modelServed = tap.model();
    exchange.errorClass ??= tap.errorClass() ?? (exchange.usage ? null : 'usage_missing');
    exchange.responseContentType = contentType;
    return;
  }
  const body = await readAll(upstream);
  headers['content-length'] = body.length;
  res.writeHead(exchange.status, headers);
  res.end(body);
  readBufferedOutcome(exchange, body);
  exchange.responseContentType = contentType;
  exchange.responseBody = body;
}

/** Keeps a complete, successful answer for the identical request; anything partial is not kept. */
function remember(
  state: OptimizerState,
  key: string,
  exchange: Exchange,
  event: UsageEvent,
  capture: StreamCapture,
): void {
  if (exchange.status !== 200 || exchange.errorClass !== null || !exchange.usage) return;
  const frames = exchange.streamed ? capture.frames() : null;
  if (exchange.streamed ? frames === null : !exchange.responseBody) return;
  state.exactCache.set(key, {
    status: 200,
    contentType: exchange.responseContentType ?? 'application/json',
    body: exchange.streamed ? null : exchange.responseBody,
    frames,
    usage: exchange.usage,
    modelServed: exchange.modelServed,
    baselineCostNanos: event.baselineCostNanos ?? event.costNanos,
  });
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
