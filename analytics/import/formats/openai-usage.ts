import type { CostRow } from '../../../contracts/cost.ts';
import { count, requiredCount, text } from '../fields.ts';
import { costRow } from '../row.ts';
import type { ImportFormat, MapContext } from '../types.ts';
import {
  AI_CATEGORY,
  bucketPeriod,
  bucketRecords,
  estimateUsage,
  firstResult,
  flag,
  OPENAI_BUCKET,
} from './openai-anthropic-buckets.ts';

type Values = Record<string, unknown>;

const RESULT_OBJECT = 'organization.usage.completions.result';

/** OpenAI Usage API, `GET /v1/organization/usage/completions`: a page of buckets, or a bare array of them. */
export const openaiUsageJson: ImportFormat = {
  id: 'openai-usage-json',
  label: 'OpenAI Usage API completions (JSON)',
  containers: ['json'],
  detect: ({ first }) => isCompletionsResult(firstResult(first, OPENAI_BUCKET.start)),
  records: (document) => bucketRecords(document, OPENAI_BUCKET),
  toRows: usageRow,
};

/** The same results flattened one per CSV row, with the bucket's start_time/end_time on each. */
export const openaiUsageCsv: ImportFormat = {
  id: 'openai-usage-csv',
  label: 'OpenAI Usage completions (CSV)',
  containers: ['csv'],
  detect: ({ columns }) =>
    (columns.includes('start_time') || columns.includes('start_time_iso')) &&
    ['input_tokens', 'output_tokens', 'num_model_requests'].every((c) => columns.includes(c)),
  toRows: usageRow,
};

// Other usage endpoints (embeddings, images, audio) share the page shape but not these counts.
function isCompletionsResult(result: Values | null): boolean {
  if (result === null) return false;
  const object = result['object'];
  if (typeof object === 'string') return object === RESULT_OBJECT;
  return 'input_tokens' in result && 'output_tokens' in result && 'num_model_requests' in result;
}

function usageRow(values: Values, context: MapContext): CostRow {
  const { start, end } = bucketPeriod(values, OPENAI_BUCKET);
  const usage = {
    // OpenAI's input_tokens already include the cached ones, as CostRow.inputTokens does.
    inputTokens: requiredCount(values, 'input_tokens'),
    cachedInputTokens: count(values, 'input_cached_tokens') ?? 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: requiredCount(values, 'output_tokens'),
    requests: requiredCount(values, 'num_model_requests'),
  };
  const model = text(values, 'model');
  const batch = flag(values, 'batch');
  const cost = estimateUsage(context, 'openai', model, usage, batch === true);
  const userId = text(values, 'user_id');
  return costRow({
    kind: 'usage',
    provider: 'openai',
    serviceName: 'OpenAI API',
    serviceCategory: AI_CATEGORY,
    chargePeriodStart: start,
    chargePeriodEnd: end,
    skuId: model,
    billedCostNanos: cost.billed,
    effectiveCostNanos: cost.billed,
    listCostNanos: cost.list,
    model,
    project: text(values, 'project_id'),
    apiKey: text(values, 'api_key_id'),
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: 0,
    outputTokens: usage.outputTokens,
    requests: usage.requests,
    batch,
    tags: userId === null ? null : { user_id: userId },
  });
}
