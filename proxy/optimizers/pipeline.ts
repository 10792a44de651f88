import type { IncomingHttpHeaders } from 'node:http';
import type { OptimizerSettings } from '../config/optimizers-schema.ts';
import { noCounterfactual } from '../forward/accounting.ts';
import type { Exchange } from '../forward/exchange.ts';
import type { IncomingRequest } from '../forward/prepare.ts';
import type { Deployment } from '../router.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { assignArm } from './assignment.ts';
import { decide } from './decisions.ts';
import type { CachedResponse } from './exact-cache.ts';
import { exactCacheKey, uncacheableReason } from './request-key.ts';
import type { OptimizerState } from './state.ts';

/** What the optimizers decided for one request: answer from a cache, or send this body there. */
export interface RequestPlan {
  body: Record<string, unknown>;
  deployment: Deployment;
  /** A cached answer to replay instead of calling the provider. */
  cached: CachedResponse | null;
  /** Where to keep the provider's answer if it succeeds. */
  exactKey: string | null;
  /** On a failure signal from the routed model, retry here (the model the client asked for). */
  cascadeTo: Deployment | null;
}

export interface PlanContext {
  runtime: ProxyRuntime;
  state: OptimizerState;
}

/**
 * Runs the request-side optimizers in order. The plan always starts from the client's request so
 * every saving is measured against it; each step records its decision on the exchange.
 */
export function planRequest(
  incoming: IncomingRequest,
  headers: IncomingHttpHeaders,
  exchange: Exchange,
  context: PlanContext,
): RequestPlan {
  const { runtime } = context;
  exchange.route = headerText(headers['x-apex-route']) ?? exchange.modelRequested;
  exchange.assignment = assignArm(runtime.config.proof, headers, incoming.json, exchange.keyId);
  exchange.counterfactual = noCounterfactual(incoming.deployment);
  const plan: RequestPlan = {
    body: incoming.json,
    deployment: incoming.deployment,
    cached: null,
    exactKey: null,
    cascadeTo: null,
  };
  const settings = runtime.settings.resolve(
    { keyId: exchange.keyId, route: exchange.route, model: exchange.modelRequested },
    exchange.assignment,
  );
  if (settings === null) return plan;
  lookUpExactCache(plan, settings, exchange, context);
  return plan;
}

function lookUpExactCache(
  plan: RequestPlan,
  settings: OptimizerSettings,
  exchange: Exchange,
  context: PlanContext,
): void {
  if (!settings.exactCache.enabled) return;
  const reason = uncacheableReason(plan.body, settings.exactCache.cacheSampled);
  if (reason !== null) return decide(exchange, 'exact_cache', 'skipped', reason);
  const key = exactCacheKey(
    { tenant: tenantOf(exchange), api: exchange.api, endpoint: exchange.endpoint },
    plan.body,
  );
  const cached = context.state.exactCache.get(key, settings.exactCache.ttlSeconds * 1000);
  if (cached === null) {
    plan.exactKey = key;
    return decide(exchange, 'exact_cache', 'miss');
  }
  plan.cached = cached;
  exchange.counterfactual!.cacheHit = {
    optimizer: 'exact_cache',
    baselineCostNanos: cached.baselineCostNanos,
  };
  decide(exchange, 'exact_cache', 'hit');
}

/** Answers are never shared across keys or projects: a tenant is both. */
export function tenantOf(exchange: Exchange): string {
  return `${exchange.keyId ?? 'anonymous'}\u001f${exchange.project ?? ''}`;
}

function headerText(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first.slice(0, 200);
}
