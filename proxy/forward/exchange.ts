import { performance } from 'node:perf_hooks';
import type { OptimizerDecision } from '../../contracts/optimization.ts';
import type { ApiFlavor, HttpEndpoint, TokenUsage, UsageEvent } from '../../contracts/usage.ts';
import type { Assignment } from '../optimizers/assignment.ts';
import type { Deployment } from '../router.ts';
import { accountFor, noCounterfactual, type Counterfactual } from './accounting.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { newRequestId } from './request-id.ts';

/** What one request accumulates on its way through the proxy; becomes its usage event. */
export interface Exchange {
  readonly id: string;
  readonly ts: number;
  readonly startedAt: number;
  readonly api: ApiFlavor;
  readonly endpoint: HttpEndpoint;
  keyId: string | null;
  project: string | null;
  modelRequested: string;
  deployment: Deployment | null;
  streamed: boolean;
  firstByteAt: number | null;
  usage: TokenUsage | null;
  modelServed: string | null;
  status: number;
  errorClass: string | null;
  /** Null until the request is parsed (a request that never was has no arm). */
  assignment: Assignment | null;
  route: string | null;
  decisions: OptimizerDecision[];
  /** Null when the request failed before any optimizer could run. */
  counterfactual: Counterfactual | null;
  responseContentType: string | null;
  /** The complete body of a non-streamed answer, kept for the cache and cascades. */
  responseBody: Buffer | null;
  /** Handed to the deferred queue: its usage is recorded when the provider answers it. */
  deferred: boolean;
  /** Upstream calls made for it: more than one after a retry or fallback. */
  attempts: number;
  /** Served by a deployment other than the one planned (a balanced sibling or a fallback). */
  failedOver: boolean;
  /** The caller used an Apex virtual key: only the providers' configured keys may go upstream. */
  viaVirtualKey: boolean;
}

export function openExchange(api: ApiFlavor, endpoint: HttpEndpoint, now: () => number = Date.now): Exchange {
  return {
    id: newRequestId(),
    ts: now(),
    startedAt: performance.now(),
    api,
    endpoint,
    keyId: null,
    project: null,
    modelRequested: '',
    deployment: null,
    streamed: false,
    firstByteAt: null,
    usage: null,
    modelServed: null,
    status: 0,
    errorClass: null,
    assignment: null,
    route: null,
    decisions: [],
    counterfactual: null,
    responseContentType: null,
    responseBody: null,
    deferred: false,
    attempts: 0,
    failedOver: false,
    viaVirtualKey: false,
  };
}

export interface Pricing {
  /** Cost in nano-dollars and where its price came from, or null source when unpriced. */
  price(
    deployment: Deployment,
    modelServed: string | null,
    usage: TokenUsage,
  ): {
    costNanos: number;
    source: string | null;
  };
}

/** Freezes an exchange into the event that is billed on. */
export function toUsageEvent(exchange: Exchange, pricing: Pricing): UsageEvent {
  const usage = exchange.usage;
  const accounted = accountFor(
    exchange.counterfactual ?? noCounterfactual(exchange.deployment),
    exchange.deployment,
    exchange.modelServed,
    usage,
    pricing,
  );
  const tokens = exchange.counterfactual?.cacheHit ? ZERO_USAGE : (usage ?? ZERO_USAGE);
  return {
    id: exchange.id,
    ts: exchange.ts,
    keyId: exchange.keyId,
    project: exchange.project,
    api: exchange.api,
    endpoint: exchange.endpoint,
    provider: exchange.deployment?.providerName ?? 'none',
    modelRequested: exchange.modelRequested,
    modelServed: exchange.modelServed,
    streamed: exchange.streamed,
    ...tokens,
    costNanos: accounted.costNanos,
    priceSource: accounted.priceSource,
    latencyUs: Math.round((performance.now() - exchange.startedAt) * 1000),
    ttftUs:
      exchange.firstByteAt === null ? null : Math.round((exchange.firstByteAt - exchange.startedAt) * 1000),
    status: exchange.status,
    errorClass: exchange.errorClass,
    baselineCostNanos: accounted.baselineCostNanos,
    savings: accounted.savings,
    arm: exchange.assignment?.arm ?? null,
    unitId: exchange.assignment?.unitId ?? null,
    route: exchange.route,
    optimizations: exchange.decisions.length > 0 ? JSON.stringify(exchange.decisions) : null,
  };
}
