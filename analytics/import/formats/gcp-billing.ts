import type { CostRow } from '../../../contracts/cost.ts';
import { isRecord } from '../../../common/json.ts';
import { money, quantity, requiredMoney, tags, text, timestamp } from '../fields.ts';
import { costRow } from '../row.ts';
import type { ImportFormat, JsonRecords, Probe } from '../types.ts';
import {
  creditsNanos,
  flattenRow,
  gcpPricingCategory,
  gcpResourceType,
  gcpServiceCategory,
  gcpUnit,
} from './gcp-fields.ts';
import { vertexTokenDetail } from './gcp-vertex.ts';

type Values = Record<string, unknown>;

/**
 * Google Cloud Billing export to BigQuery (standard or detailed usage cost), as `bq extract` JSON lines,
 * a JSON array, Parquet, or the console's CSV download with dotted column names.
 */
export const gcpBilling: ImportFormat = {
  id: 'gcp-billing',
  label: 'Google Cloud Billing export',
  containers: ['csv', 'parquet', 'jsonl', 'json'],
  detect: detectGcp,
  records: gcpRecords,
  toRows: gcpRow,
};

function detectGcp({ columns, first }: Probe): boolean {
  if (columns.length > 0)
    return columns.includes('billing_account_id') && columns.includes('usage_start_time');
  const row = Array.isArray(first) ? first[0] : first;
  return isRecord(row) && 'billing_account_id' in row && 'usage_start_time' in row;
}

// A JSON array of export rows (what `bq query --format=json` prints); each row is an object at depth 2.
function gcpRecords(document: unknown): JsonRecords {
  const rows = Array.isArray(document) ? document.filter(isRecord) : [];
  return { depth: 2, records: rows };
}

function gcpRow(values: Values): CostRow {
  const row = flattenRow(values);
  const billed = requiredMoney(row, 'cost');
  const service = text(row, 'service.description') ?? 'Google Cloud';
  const pricingUnits = quantity(row, 'usage.amount_in_pricing_units');
  return costRow({
    kind: 'cost',
    provider: 'gcp',
    chargePeriodStart: timestamp(row, 'usage_start_time'),
    chargePeriodEnd: timestamp(row, 'usage_end_time'),
    serviceName: service,
    serviceCategory: gcpServiceCategory(service),
    account: text(row, 'project.id'),
    region: text(row, 'location.region') ?? text(row, 'location.location'),
    resourceId: text(row, 'resource.name') ?? text(row, 'resource.global_name'),
    resourceType: gcpResourceType(row),
    skuId: text(row, 'sku.id'),
    chargeDescription: text(row, 'sku.description'),
    pricingCategory: gcpPricingCategory(row),
    billedCostNanos: billed,
    effectiveCostNanos: billed + creditsNanos(row['credits']),
    listCostNanos: money(row, 'cost_at_list'),
    // Pricing units are hours for VMs and GPUs (usage.amount is seconds), the unit findings compare.
    consumedQuantity: pricingUnits ?? quantity(row, 'usage.amount'),
    consumedUnit: gcpUnit(pricingUnits === null ? text(row, 'usage.unit') : text(row, 'usage.pricing_unit')),
    billingCurrency: text(row, 'currency') ?? 'USD',
    tags: tags(row['labels']),
    ...vertexTokenDetail(row),
  });
}
