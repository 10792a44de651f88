import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ApiFlavor, HttpEndpoint, UsageEvent, UsageSink } from '../../contracts/usage.ts';
import { acceptDeferred, wantsDeferral } from '../batch/accept.ts';
import type { DeferredCoordinator } from '../batch/coordinator.ts';
import { decisionHeaders } from '../optimizers/decisions.ts';
import { planRequest, type RequestPlan } from '../optimizers/pipeline.ts';
import type { OptimizerState } from '../optimizers/state.ts';
import type { KeyAccess } from '../keys/access.ts';
import { replayCached, StreamCapture } from './cache-replay.ts';
import { judgeRoutedAnswer, readAll } from './cascade.ts';
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
import { relayTranslatedStream, translateBuffered } from './translated.ts';
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
  deferred: DeferredCoordinator;
  keyAccess: KeyAccess;
  /** Stamps each event; simulations replay a month in minutes with their own clock. */
  clock?: () => number;
}

/** Proxies one model call and records its usage event, whatever happens. */
export async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  route: { api: ApiFlavor; endpoint: HttpEndpoint; query: string },
  context: ForwardContext,
): Promise<void> {
  const exchange = openExchange(route.api, route.endpoint, context.clock);
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
    plan = await planRequest(incoming, req.headers, exchange, {
      runtime: context.runtime,
      state: context.optimizers,
    });
    if (plan.cached) return await replayCached(res, exchange, plan.cached, answerHeaders(exchange, {}));
    if (wantsDeferral(req.headers))
      return acceptDeferred(res, exchange, plan, context.deferred, decisionHeaders(exchange));
    prepared = prepareUpstream(req, incoming, plan.body, plan.deployment, exchange, context.runtime);
    exchange.deployment = plan.deployment;
    let upstream = await send(prepared, cancellation);
    if (plan.cascadeTo && !exchange.streamed) {
      const deps = { state: context.optimizers, pricing: context.runtime.pricing };
      const verdict = await judgeRoutedAnswer(upstream, exchange, plan, deps);
      if (!verdict.escalate)
        return relayBuffered(exchange, res, upstream.headers, verdict.status, verdict.body);
      prepared = prepareUpstream(req, incoming, plan.body, plan.cascadeTo, exchange, context.runtime);
      exchange.deployment = plan.cascadeTo;
      upstream = await send(prepared, cancellation);
    }
    exchange.status = upstream.statusCode ?? 502;
    await relayResponse(
      exchange,
      res,
      upstream,
      prepared,
      plan.exactKey || plan.semanticWrite ? capture : null,
    );
  } catch (error) {
    handleFailure(error, exchange, res, prepared, cancellation.cancelled, context.logger);
  } finally {
    if (!exchange.deferred) {
      const event = toUsageEvent(exchange, context.runtime.pricing);
      context.sink.record(event);
      context.metrics.observe(event);
      if (plan) remember(context.optimizers, plan, exchange, event, capture);
    }
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
  const { translation } = prepared;
  if (exchange.status < 400 && contentType.includes('text/event-stream')) {
    res.writeHead(exchange.status, headers);
    res.flushHeaders();
    exchange.responseContentType = contentType;
    if (translation) return relayTranslatedStream(exchange, res, upstream, translation, capture);
    const tap = createStreamTap(exchange.endpoint, prepared.stripUsageChunk);
    await relayEventStream(exchange, res, upstream, tap, prepared.stripUsageChunk, capture);
    exchange.usage = tap.usage();
    exchange.modelServed = tap.model();
    exchange.errorClass ??= tap.errorClass() ?? (exchange.usage ? null : 'usage_missing');
    return;
  }
  const body = await readAll(upstream);
  if (!translation) return relayBuffered(exchange, res, upstream.headers, exchange.status, body);
  const translated = translateBuffered(exchange, exchange.status, body, translation);
  sendBuffered(exchange, res, upstream.headers, translated.status, translated.body, 'application/json');
}

function relayBuffered(
  exchange: Exchange,
  res: ServerResponse,
  upstreamHeaders: IncomingMessage['headers'],
  status: number,
  body: Buffer,
): void {
  sendBuffered(exchange, res, upstreamHeaders, status, body);
  readBufferedOutcome(exchange, body);
}

function sendBuffered(
  exchange: Exchange,
  res: ServerResponse,
  upstreamHeaders: IncomingMessage['headers'],
  status: number,
  body: Buffer,
  contentType?: string,
): void {
  exchange.status = status;
  const headers = answerHeaders(exchange, upstreamHeaders);
  headers['content-length'] = body.length;
  if (contentType) headers['content-type'] = contentType;
  res.writeHead(status, headers);
  res.end(body);
  exchange.responseContentType = contentType ?? upstreamHeaders['content-type'] ?? 'application/json';
  exchange.responseBody = body;
}

function send(prepared: PreparedRequest, cancellation: Cancellation): Promise<IncomingMessage> {
  return prepared.target.send({
    path: prepared.path,
    headers: prepared.headers,
    body: prepared.body,
    cancellation,
  });
}

/** Keeps a complete, successful answer for the identical request; anything partial is not kept. */
function remember(
  state: OptimizerState,
  plan: RequestPlan,
  exchange: Exchange,
  event: UsageEvent,
  capture: StreamCapture,
): void {
  if (!plan.exactKey && !plan.semanticWrite) return;
  if (exchange.status !== 200 || exchange.errorClass !== null || !exchange.usage) return;
  const frames = exchange.streamed ? capture.frames() : null;
  if (exchange.streamed ? frames === null : !exchange.responseBody) return;
  const response = {
    status: 200,
    contentType: exchange.responseContentType ?? 'application/json',
    body: exchange.streamed ? null : exchange.responseBody,
    frames,
    usage: exchange.usage,
    modelServed: exchange.modelServed,
    baselineCostNanos: event.baselineCostNanos ?? event.costNanos,
  };
  if (plan.exactKey) state.exactCache.set(plan.exactKey, response);
  if (plan.semanticWrite)
    state.semantic?.store(plan.semanticWrite.key, plan.semanticWrite.embedding, response);
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

function headerValue(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}
