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
import type { Features } from './routing/classifier.ts';
import type { SemanticKey } from './semantic/semantic-key.ts';
import type { OptimizerState } from './state.ts';
import { arrangeForProviderCache, chooseTier, compress, route } from './transforms.ts';

/** What the optimizers decided for one request: answer from a cache, or send this body there. */
export interface RequestPlan {
  body: Record<string, unknown>;
  deployment: Deployment;
  /** A cached answer to replay instead of calling the provider. */
  cached: CachedResponse | null;
  /** Where to keep the provider's answer if it succeeds. */
  exactKey: string | null;
  semanticWrite: { key: SemanticKey; embedding: Float32Array } | null;
  /** On a failure signal from the routed model, retry here (the model the client asked for). */
  cascadeTo: Deployment | null;
  /** The classifier's view of the request when it chose the model; the cascade's verdict trains it. */
  classifierFeatures: Features | null;
  promptTokens: number | null;
  /** A deferred request may ride the provider's batch API (off for the control group). */
  batchAllowed: boolean;
}

export interface PlanContext {
  runtime: ProxyRuntime;
  state: OptimizerState;
}

/**
 * Runs the request-side optimizers in order. The plan always starts from the client's request so
 * every saving is measured against it; each step records its decision on the exchange.
 */
export async function planRequest(
  incoming: IncomingRequest,
  headers: IncomingHttpHeaders,
  exchange: Exchange,
  context: PlanContext,
): Promise<RequestPlan> {
  const { runtime } = context;
  exchange.route = headerText(headers['x-apex-route']) ?? exchange.modelRequested;
  exchange.assignment = assignArm(runtime.config.proof, headers, incoming.json, exchange.keyId);
  exchange.counterfactual = noCounterfactual(incoming.deployment);
  const plan: RequestPlan = {
    body: incoming.json,
    deployment: incoming.deployment,
    cached: null,
    exactKey: null,
    semanticWrite: null,
    cascadeTo: null,
    classifierFeatures: null,
    promptTokens: null,
    batchAllowed: false,
  };
  const settings = runtime.settings.resolve(
    { keyId: exchange.keyId, route: exchange.route, model: exchange.modelRequested },
    exchange.assignment,
  );
  if (settings === null) return plan;
  plan.batchAllowed = settings.serviceTier.batchWhenDeferred;
  lookUpExactCache(plan, settings, exchange, context);
  if (!plan.cached) await lookUpSemanticCache(plan, settings, exchange, context);
  if (plan.cached) return plan;
  const step = { exchange, settings, headers, runtime, state: context.state, original: incoming.original };
  for (const transform of [compress, route, arrangeForProviderCache, chooseTier]) transform(plan, step);
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

async function lookUpSemanticCache(
  plan: RequestPlan,
  settings: OptimizerSettings,
  exchange: Exchange,
  { state }: PlanContext,
): Promise<void> {
  if (!settings.semanticCache.enabled) return;
  const cache = state.semantic;
  if (!cache)
    return decide(exchange, 'semantic_cache', 'skipped', state.semanticProblem ?? 'embedder loading');
  const sampling = uncacheableReason(plan.body, settings.semanticCache.cacheSampled);
  if (sampling !== null) return decide(exchange, 'semantic_cache', 'skipped', sampling);
  const scope = { tenant: tenantOf(exchange), api: exchange.api, endpoint: exchange.endpoint };
  const key = cache.eligibility(scope, settings.semanticCache.namespace, exchange.endpoint, plan.body);
  if ('reason' in key) return decide(exchange, 'semantic_cache', 'skipped', key.reason);
  const found = await cache.lookup(key);
  if ('miss' in found) {
    if (found.embedding) plan.semanticWrite = { key, embedding: found.embedding };
    return decide(exchange, 'semantic_cache', 'miss', found.reason);
  }
  plan.cached = found.hit;
  exchange.counterfactual!.cacheHit = {
    optimizer: 'semantic_cache',
    baselineCostNanos: found.hit.baselineCostNanos,
  };
  decide(exchange, 'semantic_cache', 'hit', `similarity ${found.similarity.toFixed(3)}`);
}

/** Answers are never shared across keys or projects: a tenant is both. */
export function tenantOf(exchange: Exchange): string {
  return `${exchange.keyId ?? 'anonymous'}\u001f${exchange.project ?? ''}`;
}

function headerText(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first.slice(0, 200);
}
