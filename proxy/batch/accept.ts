import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ApexError } from '../http/errors.ts';
import type { Exchange } from '../forward/exchange.ts';
import type { RequestPlan } from '../optimizers/pipeline.ts';
import { urgencyOf } from '../optimizers/discounts/service-tier.ts';
import { batchApiFor, batchableEndpoint } from './batch-api.ts';
import type { DeferredCoordinator } from './coordinator.ts';
import { DEFERRED_URGENCY, type DeferredJob, type DeferredMode, type DeferredState } from './job.ts';

/** Where a client collects a deferred answer. */
export const DEFERRED_PATH = '/v1/apex/deferred/';

/** True when the client sent `x-apex-urgency: batch`: it accepts a receipt now and the answer later. */
export function wantsDeferral(headers: IncomingHttpHeaders): boolean {
  return urgencyOf(headers) === DEFERRED_URGENCY;
}

/**
 * Takes a planned request into the deferred queue and answers 202 with a receipt. The request is
 * durable before the receipt leaves, so a crash after it loses nothing.
 */
export function acceptDeferred(
  res: ServerResponse,
  exchange: Exchange,
  plan: RequestPlan,
  coordinator: DeferredCoordinator,
  extraHeaders: OutgoingHttpHeaders,
): void {
  const job = deferredJob(exchange, plan);
  coordinator.enqueue(job);
  exchange.deferred = true;
  exchange.status = 202;
  sendReceipt(res, job, 'queued', { ...extraHeaders, 'x-apex-deferred': job.mode });
}

function deferredJob(exchange: Exchange, plan: RequestPlan): DeferredJob {
  const { deployment } = plan;
  if (exchange.streamed) {
    throw new ApexError(
      'invalid_request',
      'a deferred request (x-apex-urgency: batch) cannot stream; drop "stream"',
      {
        param: 'stream',
      },
    );
  }
  if (deployment.provider.apiKey === undefined) {
    throw new ApexError(
      'invalid_request',
      `deferred requests need provider "${deployment.providerName}" to have its apiKey in the Apex config: ` +
        "Apex sends and collects them after this connection has closed, and never stores a caller's key",
    );
  }
  const batchable =
    batchApiFor(deployment.provider) !== null && batchableEndpoint(deployment.provider, exchange.endpoint);
  const mode: DeferredMode = plan.batchAllowed && batchable ? 'batch' : 'direct';
  const counterfactual = exchange.counterfactual;
  return {
    id: exchange.id,
    createdAt: exchange.ts,
    mode,
    api: exchange.api,
    endpoint: exchange.endpoint,
    keyId: exchange.keyId,
    project: exchange.project,
    route: exchange.route,
    arm: exchange.assignment?.arm ?? null,
    unitId: exchange.assignment?.unitId ?? null,
    modelRequested: exchange.modelRequested,
    modelServedName: deployment.route.name.includes('*') ? deployment.upstreamModel : deployment.route.name,
    providerName: deployment.providerName,
    body: { ...plan.body, model: deployment.upstreamModel },
    decisions: exchange.decisions,
    compression: counterfactual?.compression ?? null,
    promptCaching: counterfactual?.promptCaching ?? false,
  };
}

/** The receipt (202) a client polls with; the same shape while the request waits. */
export function sendReceipt(
  res: ServerResponse,
  job: DeferredJob,
  state: DeferredState,
  headers: OutgoingHttpHeaders = {},
): void {
  const body = JSON.stringify({
    id: job.id,
    object: 'apex.deferred_request',
    status: state,
    mode: job.mode,
    model: job.modelRequested,
    created_at: Math.floor(job.createdAt / 1000),
    result_url: `${DEFERRED_PATH}${job.id}`,
  });
  res.writeHead(202, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-apex-request-id': job.id,
    // Batches take minutes to hours; polling faster only costs the caller.
    'retry-after': '30',
  });
  res.end(body);
}
