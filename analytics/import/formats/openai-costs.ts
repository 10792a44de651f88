import type { CostRow } from '../../../contracts/cost.ts';
import { requiredMoney, text } from '../fields.ts';
import { costRow } from '../row.ts';
import type { ImportFormat } from '../types.ts';
import {
  AI_CATEGORY,
  bucketPeriod,
  bucketRecords,
  firstResult,
  OPENAI_BUCKET,
  unnest,
} from './openai-anthropic-buckets.ts';

type Values = Record<string, unknown>;

const RESULT_OBJECT = 'organization.costs.result';
const AMOUNT = 'amount.value';
const CURRENCY = 'amount.currency';

/** OpenAI Costs API, `GET /v1/organization/costs`: a page of daily buckets, or a bare array of them. */
export const openaiCostsJson: ImportFormat = {
  id: 'openai-costs-json',
  label: 'OpenAI Costs API (JSON)',
  containers: ['json'],
  detect: ({ first }) => isCostsResult(firstResult(first, OPENAI_BUCKET.start)),
  records: (document) => bucketRecords(document, OPENAI_BUCKET),
  toRows: costsRow,
};

/** The same results flattened one per CSV row (`amount_value`, `amount_currency`). */
export const openaiCostsCsv: ImportFormat = {
  id: 'openai-costs-csv',
  label: 'OpenAI Costs (CSV)',
  containers: ['csv'],
  detect: ({ columns }) =>
    (columns.includes('start_time') || columns.includes('start_time_iso')) &&
    columns.includes('line_item') &&
    (columns.includes(AMOUNT) || columns.includes('amount_value')),
  toRows: costsRow,
};

function isCostsResult(result: Values | null): boolean {
  if (result === null) return false;
  const object = result['object'];
  if (typeof object === 'string') return object === RESULT_OBJECT;
  const amount = result['amount'];
  return amount !== null && typeof amount === 'object' && 'value' in amount && 'line_item' in result;
}

function costsRow(raw: Values): CostRow {
  const values = unnest(raw, [AMOUNT, CURRENCY]);
  const { start, end } = bucketPeriod(values, OPENAI_BUCKET);
  const billed = requiredMoney(values, AMOUNT);
  const lineItem = text(values, 'line_item');
  return costRow({
    kind: 'cost',
    provider: 'openai',
    serviceName: 'OpenAI API',
    serviceCategory: AI_CATEGORY,
    chargePeriodStart: start,
    chargePeriodEnd: end,
    skuId: lineItem,
    chargeDescription: lineItem,
    billedCostNanos: billed,
    effectiveCostNanos: billed,
    billingCurrency: text(values, CURRENCY)?.toUpperCase() ?? 'USD',
    model: lineItemModel(lineItem),
    project: text(values, 'project_id'),
    account: text(values, 'organization_id'),
  });
}

// Line items read "<model>, <token kind>" ("gpt-4o-2024-08-06, cached input"); others ("Image models")
// have no kind part and are kept whole.
function lineItemModel(lineItem: string | null): string | null {
  if (lineItem === null) return null;
  const comma = lineItem.indexOf(', ');
  return comma === -1 ? lineItem : lineItem.slice(0, comma).trim() || null;
}
