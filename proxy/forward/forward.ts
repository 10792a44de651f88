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
import { relayedResponseHeaders } from '../http/headers.ts';
import { callerKeyId } from '../http/identity.ts';
import type { ProxyMetrics } from '../metrics.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { cancelUpstream, type Cancellation } from '../upstream/agents.ts';
import { openExchange, toUsageEvent, type Exchange } from './exchange.ts';
import { readBufferedOutcome } from './outcome.ts';
import { readIncoming, type IncomingRequest, type PreparedRequest } from './prepare.ts';
import { handleFailure } from './failure.ts';
import { admitCaller, identifyCaller, Refused, settleCaller, type Admitted } from './key-gate.ts';
import type { VirtualKey } from '../keys/key-schema.ts';
import { attemptHeaders, callUpstream, type UpstreamCall } from './upstream-call.ts';
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

/** What one request holds while in flight, for the error path and the event recorded at the end. */
interface Flight {
  cancellation: Cancellation;
  prepared: PreparedRequest | null;
  plan: RequestPlan | null;
  admitted: Admitted | null;
  capture: StreamCapture;
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
  const flight: Flight = {
    cancellation: { cancelled: false, request: null },
    prepared: null,
    plan: null,
    admitted: null,
    capture: new StreamCapture(),
  };
  // The listener closes over the cancellation record only: a closure over the whole flight would keep
  // each request's plan and body alive until promotion (see Cancellation in upstream/agents.ts).
  const { cancellation } = flight;
  res.once('close', () => {
    if (!res.writableFinished) cancelUpstream(cancellation);
  });
  try {
    await proxyRequest(req, res, route.query, exchange, context, flight);
  } catch (error) {
    handleFailure(error, exchange, res, flight, context.logger);
  } finally {
    if (!exchange.deferred) record(exchange, context, flight);
  }
}

async function proxyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  query: string,
  exchange: Exchange,
  context: ForwardContext,
  flight: Flight,
): Promise<void> {
  const caller = identifyCaller(req.headers, exchange, context.keyAccess);
  if (caller !== null && !caller.ok) throw new Refused(caller);
  const incoming = await readIncoming(req, query, exchange, context.runtime);
  if (caller !== null) flight.admitted = admit(caller.key, incoming, exchange, context);
  const plan = await planRequest(incoming, req.headers, exchange, {
    runtime: context.runtime,
    state: context.optimizers,
  });
  flight.plan = plan;
  if (plan.cached) return await replayCached(res, exchange, plan.cached, answerHeaders(exchange, {}));
  if (wantsDeferral(req.headers))
    return acceptDeferred(res, exchange, plan, context.deferred, decisionHeaders(exchange));
  const call: UpstreamCall = {
    req,
    incoming,
    exchange,
    runtime: context.runtime,
    cancellation: flight.cancellation,
    onAttempts: (attempts) => context.metrics.failover.observe(attempts),
  };
  let sent = await callUpstream(call, plan.body, plan.deployment);
  if (plan.cascadeTo && !exchange.streamed) {
    const deps = { state: context.optimizers, pricing: context.runtime.pricing };
    const verdict = await judgeRoutedAnswer(sent.message, exchange, plan, deps);
    if (!verdict.escalate)
      return relayBuffered(exchange, res, sent.message.headers, verdict.status, verdict.body);
    sent = await callUpstream(call, plan.body, plan.cascadeTo);
  }
  flight.prepared = sent.prepared;
  exchange.status = sent.message.statusCode ?? 502;
  const capture = plan.exactKey || plan.semanticWrite ? flight.capture : null;
  await relayResponse(exchange, res, sent.message, sent.prepared, capture);
}

function admit(
  key: VirtualKey,
  incoming: IncomingRequest,
  exchange: Exchange,
  context: ForwardContext,
): Admitted {
  const now = (context.clock ?? Date.now)();
  const admitted = admitCaller(key, incoming, exchange, {
    access: context.keyAccess,
    runtime: context.runtime,
    now,
  });
  if (!admitted.ok) throw new Refused(admitted);
  return admitted;
}

/** The usage event, the metrics, the key's spend and the caches: everything a finished request leaves. */
function record(exchange: Exchange, context: ForwardContext, flight: Flight): void {
  const event = toUsageEvent(exchange, context.runtime.pricing);
  context.sink.record(event);
  context.metrics.observe(event);
  settleCaller(flight.admitted, event, context.keyAccess);
  if (flight.plan) remember(context.optimizers, flight.plan, exchange, event, flight.capture);
}

/** Upstream headers worth relaying plus what Apex decided. */
function answerHeaders(exchange: Exchange, upstream: IncomingMessage['headers']): OutgoingHttpHeaders {
  return {
    ...relayedResponseHeaders(upstream, exchange.id),
    ...decisionHeaders(exchange),
    ...attemptHeaders(exchange),
  };
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

function headerValue(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}
