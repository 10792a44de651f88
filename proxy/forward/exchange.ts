import { performance } from 'node:perf_hooks';
import type { ApiFlavor, Endpoint, TokenUsage, UsageEvent } from '../../contracts/usage.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import type { Deployment } from '../router.ts';
import { newRequestId } from './request-id.ts';

/** What one request accumulates on its way through the proxy; becomes its usage event. */
export interface Exchange {
  readonly id: string;
  readonly ts: number;
  readonly startedAt: number;
  readonly api: ApiFlavor;
  readonly endpoint: Endpoint;
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
}

export function openExchange(api: ApiFlavor, endpoint: Endpoint): Exchange {
  return {
    id: newRequestId(),
    ts: Date.now(),
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
  const usage = exchange.usage ?? ZERO_USAGE;
  const priced = exchange.deployment
    ? pricing.price(exchange.deployment, exchange.modelServed, usage)
    : { costNanos: 0, source: null };
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
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    cacheWrite1hTokens: usage.cacheWrite1hTokens,
    reasoningTokens: usage.reasoningTokens,
    costNanos: priced.costNanos,
    priceSource: priced.source,
    latencyUs: Math.round((performance.now() - exchange.startedAt) * 1000),
    ttftUs:
      exchange.firstByteAt === null ? null : Math.round((exchange.firstByteAt - exchange.startedAt) * 1000),
    status: exchange.status,
    errorClass: exchange.errorClass,
  };
}
