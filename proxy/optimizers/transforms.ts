import type { IncomingHttpHeaders } from 'node:http';
import type { OptimizerSettings } from '../config/optimizers-schema.ts';
import type { Exchange } from '../forward/exchange.ts';
import type { Deployment } from '../router.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { compressRequest } from './compression/index.ts';
import { decide } from './decisions.ts';
import { insertCacheBreakpoints } from './discounts/anthropic-cache.ts';
import { stabilizePrefix } from './discounts/openai-prefix.ts';
import { applyFlex, FLEX_DISCOUNT_SHARE, isLowUrgency } from './discounts/service-tier.ts';
import { decide as tierOf, extractFeatures, type Features } from './routing/classifier.ts';
import { canCascade } from './routing/cascade.ts';
import { readRoutingControls, resolveRoute } from './routing/rules.ts';
import type { OptimizerState } from './state.ts';
import { estimatePromptTokens, estimateTextTokens } from './tokens.ts';

/** The request as the optimizers reshape it, step by step. */
export interface Draft {
  body: Record<string, unknown>;
  deployment: Deployment;
  cascadeTo: Deployment | null;
  /** Set when the classifier chose the model, so the cascade's verdict can train it. */
  classifierFeatures: Features | null;
  /** The body's estimated prompt tokens once compression has counted them; later steps reuse it. */
  promptTokens: number | null;
}

export interface TransformContext {
  exchange: Exchange;
  settings: OptimizerSettings;
  headers: IncomingHttpHeaders;
  runtime: ProxyRuntime;
  state: OptimizerState;
  /** The client's bytes, to tell whether it placed cache markers of its own. */
  original: Buffer;
}

type GenerationEndpoint = 'chat' | 'messages' | 'responses';

function generationEndpoint(exchange: Exchange): GenerationEndpoint | null {
  const endpoint = exchange.endpoint;
  return endpoint === 'chat' || endpoint === 'messages' || endpoint === 'responses' ? endpoint : null;
}

export function compress(draft: Draft, { exchange, settings }: TransformContext): void {
  const endpoint = generationEndpoint(exchange);
  const options = settings.compression;
  if (!endpoint || (!options.lossless && !options.lossy.enabled)) return;
  const result = compressRequest(endpoint, draft.body, options);
  draft.promptTokens = result.tokensBefore;
  if (!result.changed || result.tokensAfter >= result.tokensBefore) return;
  draft.body = result.body;
  draft.promptTokens = result.tokensAfter;
  exchange.counterfactual!.compression = { before: result.tokensBefore, after: result.tokensAfter };
  const saved = Math.round((1 - result.tokensAfter / result.tokensBefore) * 100);
  decide(exchange, 'compression', 'applied', `-${saved}% prompt tokens: ${result.steps.join(', ')}`);
}

/** Rules first, then the classifier; the target must speak the API the client called. */
export function route(draft: Draft, context: TransformContext): void {
  const { exchange, settings, headers, runtime } = context;
  const endpoint = generationEndpoint(exchange);
  const controls = readRoutingControls(headers);
  if (!endpoint || (!settings.routing.enabled && !controls.override)) return;
  const promptTokens = lazy(() => draft.promptTokens ?? estimatePromptTokens(endpoint, draft.body));
  const input = {
    keyId: exchange.keyId,
    route: exchange.route ?? exchange.modelRequested,
    model: exchange.modelRequested,
    get promptTokens() {
      return promptTokens();
    },
    hasTools: Array.isArray(draft.body['tools']) && draft.body['tools'].length > 0,
    hint: controls.hint,
  };
  const chosen = resolveRoute(settings.routing.rules, input, controls);
  let target = chosen.reason === 'none' ? null : chosen.model;
  let reason = chosen.reason === 'rule' ? `rule ${chosen.rule!.name}` : chosen.reason;
  if (chosen.reason === 'none') {
    const classified = classify(draft, context, endpoint);
    if (classified) [target, reason] = [classified.model, `classifier p(hard)=${classified.p.toFixed(2)}`];
  }
  if (target === null || target === exchange.modelRequested) return;
  const deployment = runtime.router.resolve(target);
  if (!deployment || (deployment.provider.kind === 'anthropic') !== (exchange.api === 'anthropic')) {
    return decide(exchange, 'routing', 'skipped', `${target} is not a configured model of this API`);
  }
  draft.deployment = deployment;
  if (settings.routing.cascade && canCascade(draft.body) && chosen.reason !== 'override') {
    draft.cascadeTo = exchange.counterfactual!.requested;
  }
  decide(exchange, 'routing', 'applied', `${exchange.modelRequested} -> ${target} (${reason})`);
}

function classify(
  draft: Draft,
  { settings, state }: TransformContext,
  endpoint: GenerationEndpoint,
): { model: string; p: number } | null {
  const { classifier } = settings.routing;
  if (!classifier.enabled || !classifier.cheapModel) return null;
  const features = extractFeatures(endpoint, draft.body, estimateTextTokens);
  const p = state.classifier.score(features);
  if (tierOf(p, classifier.threshold) !== 'cheap') return null;
  draft.classifierFeatures = features;
  return { model: classifier.cheapModel, p };
}

/**
 * Anthropic caches only where a request marks it, so when Apex adds the only markers the cache
 * reads are Apex's saving. When the client marked its own, Apex's extra markers may add reads, but
 * which ones the client would have had anyway is unknowable, so none are claimed (the control
 * group caught the overclaim in the savings simulation). OpenAI caches every long prefix by
 * itself; a stable tool order only makes hits likelier, so its discount is never claimed either.
 */
export function arrangeForProviderCache(
  draft: Draft,
  { exchange, settings, original }: TransformContext,
): void {
  const endpoint = generationEndpoint(exchange);
  if (!endpoint) return;
  // Markers placed in the client's wire do not survive translation into the other one.
  if ((endpoint === 'messages') !== (draft.deployment.provider.kind === 'anthropic')) return;
  if (endpoint === 'messages' && settings.promptCaching.anthropicBreakpoints) {
    const result = insertCacheBreakpoints(draft.body, draft.deployment.upstreamModel, estimateTextTokens);
    if (result.inserted === 0) return;
    draft.body = result.body;
    const clientMarked = original.includes('"cache_control"');
    exchange.counterfactual!.promptCaching = !clientMarked;
    const detail = `${result.inserted} breakpoint(s), ~${result.cachedPrefixTokens} prefix tokens`;
    return decide(
      exchange,
      'prompt_caching',
      'applied',
      clientMarked ? `${detail}; client markers kept` : detail,
    );
  }
  if (endpoint !== 'messages' && settings.promptCaching.openaiStablePrefix) {
    const result = stabilizePrefix(endpoint, draft.body, {
      cacheKey: draft.deployment.provider.kind === 'openai',
    });
    if (!result.changed) return;
    draft.body = result.body;
    decide(exchange, 'prompt_caching', 'applied', 'stable prefix');
  }
}

export function chooseTier(draft: Draft, { exchange, settings, headers }: TransformContext): void {
  if (!settings.serviceTier.flexWhenNotUrgent || !isLowUrgency(headers)) return;
  if (draft.deployment.provider.kind !== 'openai' || exchange.api !== 'openai') return;
  const result = applyFlex(draft.body, draft.deployment.upstreamModel);
  if (!result.applied) return decide(exchange, 'service_tier', 'skipped', 'model has no flex tier');
  draft.body = result.body;
  exchange.counterfactual!.tierDiscount = FLEX_DISCOUNT_SHARE;
  decide(exchange, 'service_tier', 'applied', 'flex');
}

function lazy<T>(compute: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: compute() }).v;
}
