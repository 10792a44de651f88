import type { CostRow } from '../../../contracts/cost.ts';
import { count, requiredCount, text } from '../fields.ts';
import { costRow } from '../row.ts';
import type { ImportFormat, MapContext } from '../types.ts';
import {
  AI_CATEGORY,
  ANTHROPIC_BUCKET,
  bucketPeriod,
  bucketRecords,
  estimateUsage,
  firstResult,
  safeSum,
  unnest,
} from './openai-anthropic-buckets.ts';

type Values = Record<string, unknown>;

const CACHE_5M = 'cache_creation.ephemeral_5m_input_tokens';
const CACHE_1H = 'cache_creation.ephemeral_1h_input_tokens';
const WEB_SEARCH = 'server_tool_use.web_search_requests';
/** Anthropic's web search price: $10 per 1,000 searches. */
const WEB_SEARCH_NANOS = 10_000_000;
/** Where a report is not grouped by workspace, its usage belongs to the organization's default one. */
export const DEFAULT_WORKSPACE = 'default';

/** Anthropic Admin API `GET /v1/organizations/usage_report/messages`: a page of buckets, or an array. */
export const anthropicUsageJson: ImportFormat = {
  id: 'anthropic-usage-json',
  label: 'Anthropic messages usage report (JSON)',
  containers: ['json'],
  detect: ({ first }) => isUsageResult(firstResult(first, ANTHROPIC_BUCKET.start)),
  records: (document) => bucketRecords(document, ANTHROPIC_BUCKET),
  toRows: usageRow,
};

/** The same results flattened one per CSV row; nested keys joined with "." or "_". */
export const anthropicUsageCsv: ImportFormat = {
  id: 'anthropic-usage-csv',
  label: 'Anthropic messages usage report (CSV)',
  containers: ['csv'],
  detect: ({ columns }) =>
    ['starting_at', 'uncached_input_tokens', 'output_tokens'].every((c) => columns.includes(c)),
  toRows: usageRow,
};

function isUsageResult(result: Values | null): boolean {
  return result !== null && 'uncached_input_tokens' in result && 'output_tokens' in result;
}

function usageRow(raw: Values, context: MapContext): CostRow {
  const values = unnest(raw, [CACHE_5M, CACHE_1H, WEB_SEARCH]);
  const { start, end } = bucketPeriod(values, ANTHROPIC_BUCKET);
  const uncached = requiredCount(values, 'uncached_input_tokens');
  const cacheRead = count(values, 'cache_read_input_tokens') ?? 0;
  const write5m = count(values, CACHE_5M) ?? 0;
  const write1h = count(values, CACHE_1H) ?? 0;
  const usage = {
    // Anthropic reports the prompt in disjoint parts; CostRow.inputTokens is the whole prompt.
    inputTokens: safeSum('input token total', uncached, cacheRead, write5m, write1h),
    cachedInputTokens: cacheRead,
    cacheWriteTokens: write5m,
    cacheWrite1hTokens: write1h,
    outputTokens: requiredCount(values, 'output_tokens'),
    requests: null,
  };
  const model = text(values, 'model');
  const batch = text(values, 'service_tier') === 'batch';
  const tokens = estimateUsage(context, 'anthropic', model, usage, batch);
  // Web search is billed per search, at the same price on every tier.
  const searches = safeSum('web search cost', (count(values, WEB_SEARCH) ?? 0) * WEB_SEARCH_NANOS);
  const billed = safeSum('estimated cost', tokens.billed, searches);
  return costRow({
    kind: 'usage',
    provider: 'anthropic',
    serviceName: 'Claude API',
    serviceCategory: AI_CATEGORY,
    chargePeriodStart: start,
    chargePeriodEnd: end,
    skuId: model,
    billedCostNanos: billed,
    effectiveCostNanos: billed,
    listCostNanos: safeSum('estimated cost', tokens.list, searches),
    model,
    project: text(values, 'workspace_id') ?? DEFAULT_WORKSPACE,
    apiKey: text(values, 'api_key_id'),
    inputTokens: usage.inputTokens,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: write5m + write1h,
    outputTokens: usage.outputTokens,
    requests: null,
    batch,
  });
}
