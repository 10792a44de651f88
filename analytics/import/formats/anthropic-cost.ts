import type { CostRow } from '../../../contracts/cost.ts';
import { decimalToNanos, text } from '../fields.ts';
import { costRow } from '../row.ts';
import { RowError, type ImportFormat } from '../types.ts';
import { DEFAULT_WORKSPACE } from './anthropic-usage.ts';
import {
  AI_CATEGORY,
  ANTHROPIC_BUCKET,
  bucketPeriod,
  bucketRecords,
  firstResult,
} from './openai-anthropic-buckets.ts';

type Values = Record<string, unknown>;

// Scaling by 10^-2 through the exponent keeps the cents-to-dollars step exact; a wilder exponent than
// this is garbage, and refusing it keeps BigInt powers small.
const MAX_EXPONENT = 30;
const EXPONENT = /^(.*?)(?:[eE]([+-]?\d+))?$/;

/** Anthropic Admin API `GET /v1/organizations/cost_report`: a page of daily buckets, or an array. */
export const anthropicCostJson: ImportFormat = {
  id: 'anthropic-cost-json',
  label: 'Anthropic cost report (JSON)',
  containers: ['json'],
  detect: ({ first }) => isCostResult(firstResult(first, ANTHROPIC_BUCKET.start)),
  records: (document) => bucketRecords(document, ANTHROPIC_BUCKET),
  toRows: costReportRow,
};

/** The same results flattened one per CSV row. */
export const anthropicCostCsv: ImportFormat = {
  id: 'anthropic-cost-csv',
  label: 'Anthropic cost report (CSV)',
  containers: ['csv'],
  detect: ({ columns }) =>
    ['starting_at', 'amount', 'currency'].every((c) => columns.includes(c)) &&
    ['cost_type', 'token_type', 'description'].some((c) => columns.includes(c)),
  toRows: costReportRow,
};

function isCostResult(result: Values | null): boolean {
  return (
    result !== null &&
    'amount' in result &&
    'currency' in result &&
    ('cost_type' in result || 'description' in result)
  );
}

function costReportRow(values: Values): CostRow {
  const { start, end } = bucketPeriod(values, ANTHROPIC_BUCKET);
  const billed = centsToNanos(values, 'amount');
  const tier = text(values, 'service_tier');
  return costRow({
    kind: 'cost',
    provider: 'anthropic',
    serviceName: 'Claude API',
    serviceCategory: AI_CATEGORY,
    chargePeriodStart: start,
    chargePeriodEnd: end,
    skuId: text(values, 'token_type') ?? text(values, 'cost_type'),
    chargeDescription: text(values, 'description'),
    billedCostNanos: billed,
    effectiveCostNanos: billed,
    billingCurrency: text(values, 'currency')?.toUpperCase() ?? 'USD',
    model: text(values, 'model'),
    project: text(values, 'workspace_id') ?? DEFAULT_WORKSPACE,
    batch: tier === null ? null : tier === 'batch',
  });
}

/** The report's `amount` is a decimal string in cents ("123.45" is $1.2345): exact nano-units of money. */
function centsToNanos(values: Values, key: string): number {
  const value = values[key];
  if (value === undefined || value === null || value === '') throw new RowError(`${key} is missing`);
  // Only text and numbers are amounts; anything else (objects included) never reaches String().
  const written = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : null;
  const [, mantissa = '', exponent = '0'] = EXPONENT.exec(written ?? '') ?? [];
  const scaled = Number(exponent) - 2;
  const nanos = Math.abs(scaled) <= MAX_EXPONENT ? decimalToNanos(`${mantissa}e${scaled}`) : null;
  if (nanos !== null) return nanos;
  const kind = typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  const shown = written === null ? kind : JSON.stringify(written.slice(0, 80));
  throw new RowError(`${key} is not an amount in cents: ${shown}`);
}
