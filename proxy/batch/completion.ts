import { performance } from 'node:perf_hooks';
import type { UsageEvent } from '../../contracts/usage.ts';
import { batchDiscountShare } from '../optimizers/discounts/service-tier.ts';
import { openExchange, toUsageEvent } from '../forward/exchange.ts';
import { readBufferedOutcome } from '../forward/outcome.ts';
import type { ProxyRuntime } from '../runtime.ts';
import type { DeferredJob, DeferredMode } from './job.ts';

/**
 * The usage event of a deferred request, once the provider answered it. It is priced like any
 * other request (same counterfactual chain), with the batch API's discount as the tier saving.
 * Its timestamp is when the answer came, which is when the provider bills it; its latency spans
 * the whole wait, because that is what the caller accepted.
 */
export function deferredUsageEvent(
  job: DeferredJob,
  mode: DeferredMode,
  answer: { status: number; body: Buffer },
  runtime: ProxyRuntime,
  now: number,
): UsageEvent {
  const requested = runtime.router.resolve(job.modelRequested);
  const served = runtime.router.resolve(job.modelServedName) ?? requested;
  const exchange = {
    ...openExchange(job.api, job.endpoint, () => now),
    id: job.id,
    startedAt: performance.now() - Math.max(0, now - job.createdAt),
  };
  exchange.keyId = job.keyId;
  exchange.project = job.project;
  exchange.modelRequested = job.modelRequested;
  exchange.deployment = served;
  exchange.route = job.route;
  exchange.status = answer.status;
  exchange.assignment = job.arm && job.unitId ? { arm: job.arm, unitId: job.unitId, experiment: null } : null;
  exchange.decisions =
    mode === 'batch'
      ? [...job.decisions, { optimizer: 'service_tier', outcome: 'applied', detail: 'batch API' }]
      : job.decisions;
  exchange.counterfactual = {
    requested,
    compression: job.compression,
    promptCaching: job.promptCaching,
    tierDiscount: mode === 'batch' && served ? batchDiscountShare(served.provider.kind) : 0,
    cacheHit: null,
    wastedCostNanos: 0,
  };
  readBufferedOutcome(exchange, answer.body);
  return toUsageEvent(exchange, runtime.pricing);
}
