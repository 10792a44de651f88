import type { EvidenceFilter } from '../../contracts/waste-report.ts';
import { costNanosForRequests } from '../../pricing/cost.ts';
import type { ModelPrice, PriceBook } from '../../pricing/types.ts';
import { formatCount as tokens } from '../../common/money-format.ts';
import { makeFinding, percent, usd, type DraftFinding } from './finding.ts';
import { windowDays, type UsageGroup } from './groups.ts';
import { cheaperModel, listPrice } from './model-prices.ts';

// Thresholds, documented in the README's waste report section.
export const ROUTING_MAX_AVG_INPUT = 1_000;
export const ROUTING_MAX_AVG_OUTPUT = 300;
export const ROUTING_MIN_REQUESTS = 100;
export const CACHING_MIN_INPUT = 1_000_000;
/** Providers cache prompt prefixes of at least 1,024 tokens; shorter prompts cannot benefit. */
export const CACHING_MIN_AVG_INPUT = 1_024;
export const CACHING_LOW_SHARE = 0.2;
export const CACHING_TARGET_SHARE = 0.8;
export const OVERSIZED_MIN_AVG_INPUT = 16_000;
/** Lossless compression (whitespace, JSON minification, repeated context) reaches this on long prompts. */
export const OVERSIZED_REDUCTION = 0.2;
const BATCH_LIKE = /batch|nightly|etl|offline|backfill|eval|cron|job|digest|report/i;
const BATCH_PROVIDERS = new Set(['openai', 'anthropic']);

export function llmFindings(groups: readonly UsageGroup[], prices: PriceBook): DraftFinding[] {
  return groups.flatMap((g) => {
    const price = listPrice(prices, g.provider, g.model);
    return [routing(g, price, prices), caching(g, price), batch(g), oversized(g, price)].filter(
      (f): f is DraftFinding => f !== null,
    );
  });
}

function routing(g: UsageGroup, price: ModelPrice | null, prices: PriceBook): DraftFinding | null {
  if (!price || g.requests === null || g.requests < ROUTING_MIN_REQUESTS) return null;
  const avgIn = g.inputTokens / g.requests;
  const avgOut = g.outputTokens / g.requests;
  const cheaper = cheaperModel(g.model);
  if (avgIn > ROUTING_MAX_AVG_INPUT || avgOut > ROUTING_MAX_AVG_OUTPUT || !cheaper) return null;
  const cheaperPrice = listPrice(prices, g.provider, cheaper);
  if (!cheaperPrice) return null;
  const now = groupCost(g, price);
  const then = groupCost(g, cheaperPrice);
  if (now <= then) return null;
  return makeFinding({
    ...common(g),
    kind: 'model-routing',
    title: `${g.model} answers small requests${who(g)}`,
    detail:
      `${tokens(g.requests)} requests average ${avgIn.toFixed(1)} input and ${avgOut.toFixed(1)} output tokens ` +
      `(${tokens(g.inputTokens)} in, ${tokens(g.outputTokens)} out). At list prices they cost ${usd(now)} on ` +
      `${g.model} and would cost ${usd(then)} on ${cheaper}: ${usd(now - then)} saved.`,
    action: `Route small requests${who(g)} to ${cheaper} with an Apex routing rule; validate quality on a sample first.`,
    savingNanos: now - then,
    confidence: 'medium',
    metrics: {
      requests: g.requests,
      avgInputTokens: avgIn,
      avgOutputTokens: avgOut,
      cheaperModel: cheaper,
      currentCostNanos: now,
      cheaperCostNanos: then,
    },
  });
}

function caching(g: UsageGroup, price: ModelPrice | null): DraftFinding | null {
  const readRate = price?.cachedInput;
  if (!price || readRate === undefined || readRate >= price.input || g.inputTokens < CACHING_MIN_INPUT)
    return null;
  if (g.requests !== null && g.inputTokens / g.requests < CACHING_MIN_AVG_INPUT) return null;
  const share = g.cachedInputTokens / g.inputTokens;
  if (share >= CACHING_LOW_SHARE) return null;
  const extraCached = Math.round(CACHING_TARGET_SHARE * g.inputTokens) - g.cachedInputTokens;
  const saving = perMillion(extraCached, price.input - readRate);
  return makeFinding({
    ...common(g),
    kind: 'prompt-caching',
    title: `Only ${percent(share)} of ${g.model}'s input is served from the prompt cache${who(g)}`,
    detail:
      `${tokens(g.inputTokens)} input tokens, ${tokens(g.cachedInputTokens)} of them cache reads (${percent(share)}). ` +
      `Raising the cached share to ${percent(CACHING_TARGET_SHARE)} moves ${tokens(extraCached)} tokens from ` +
      `${usd(price.input)} to ${usd(readRate)} per 1M: ${usd(saving)} saved (cache writes not counted).`,
    action:
      'Put the stable part of the prompt (system prompt, tools, documents) first; let Apex add cache breakpoints.',
    savingNanos: saving,
    confidence: 'medium',
    metrics: {
      inputTokens: g.inputTokens,
      cachedInputTokens: g.cachedInputTokens,
      cachedShare: share,
      targetShare: CACHING_TARGET_SHARE,
    },
  });
}

function batch(g: UsageGroup): DraftFinding | null {
  if (g.batch === 1 || !BATCH_PROVIDERS.has(g.provider) || g.costNanos <= 0) return null;
  const name = [g.project, g.apiKey].find((n) => BATCH_LIKE.test(n));
  if (!name) return null;
  const saving = Math.round(g.costNanos / 2);
  return makeFinding({
    ...common(g),
    kind: 'batch-api',
    title: `${name} looks like offline work but pays interactive prices`,
    detail:
      `${name} spent ${usd(g.costNanos)} on ${g.model} at standard rates. The ${g.provider} Batch API ` +
      `bills the same tokens at 50%: ${usd(saving)} saved if it can wait up to 24 hours.`,
    action: `Send ${name}'s requests through the Batch API (mark them non-urgent and Apex batches them).`,
    savingNanos: saving,
    confidence: 'medium',
    metrics: { costNanos: g.costNanos, discount: 0.5 },
  });
}

function oversized(g: UsageGroup, price: ModelPrice | null): DraftFinding | null {
  if (!price || g.requests === null || g.requests === 0) return null;
  const avgIn = g.inputTokens / g.requests;
  if (avgIn < OVERSIZED_MIN_AVG_INPUT) return null;
  const uncached = Math.max(0, g.inputTokens - g.cachedInputTokens - g.cacheWriteTokens);
  const saving = perMillion(Math.round(uncached * OVERSIZED_REDUCTION), price.input);
  if (saving <= 0) return null;
  return makeFinding({
    ...common(g),
    kind: 'oversized-prompts',
    title: `${g.model} prompts average ${tokens(Math.round(avgIn))} tokens${who(g)}`,
    detail:
      `${tokens(g.requests)} requests average ${avgIn.toFixed(0)} input tokens; ${tokens(uncached)} were uncached. ` +
      `Compressing them by ${percent(OVERSIZED_REDUCTION)} at ${usd(price.input)} per 1M saves ${usd(saving)}.`,
    action: 'Turn on Apex prompt compression (lossless steps first) and trim retrieved context.',
    savingNanos: saving,
    confidence: 'low',
    metrics: {
      requests: g.requests,
      avgInputTokens: avgIn,
      uncachedInputTokens: uncached,
      reduction: OVERSIZED_REDUCTION,
    },
  });
}

function common(g: UsageGroup) {
  return {
    provider: g.provider,
    windowDays: windowDays(g.periodStart, g.periodEnd),
    scope: `llm:${g.provider}:${g.model}:${g.project}:${g.apiKey}`,
    filter: filterOf(g),
    evidenceRows: g.rows,
    evidenceCostNanos: g.costNanos,
    firstRowId: g.firstRowId,
  };
}

function filterOf(g: UsageGroup): EvidenceFilter {
  return { provider: g.provider, kind: g.kind, model: g.model, project: g.project, apiKey: g.apiKey };
}

function who(g: UsageGroup): string {
  if (g.apiKey !== '') return ` for key ${g.apiKey}`;
  return g.project !== '' ? ` in ${g.project}` : '';
}

function groupCost(g: UsageGroup, price: ModelPrice): number {
  const usage = {
    inputTokens: g.inputTokens,
    cachedInputTokens: g.cachedInputTokens,
    cacheWriteTokens: g.cacheWriteTokens,
    cacheWrite1hTokens: 0,
    outputTokens: g.outputTokens,
    reasoningTokens: 0,
  };
  const cost = costNanosForRequests(usage, price, g.requests ?? 0);
  return g.batch === 1 ? Math.round(cost / 2) : cost;
}

/** tokens x (nano-dollars per 1M tokens), exact and rounded once. */
function perMillion(tokenCount: number, nanosPerMillion: number): number {
  if (tokenCount <= 0 || nanosPerMillion <= 0) return 0;
  return Number((BigInt(tokenCount) * BigInt(Math.round(nanosPerMillion)) + 500_000n) / 1_000_000n);
}
