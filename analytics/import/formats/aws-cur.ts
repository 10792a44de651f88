import type { CostRow, PricingCategory } from '../../../contracts/cost.ts';
import { money, quantity, requiredMoney, tags, text, timestamp } from '../fields.ts';
import { costRow } from '../row.ts';
import type { ImportFormat } from '../types.ts';
import { bedrockModel, tokenColumns, tokenLineKind, tokensFromQuantity } from './llm-lines.ts';

type Values = Record<string, unknown>;

const SERVICE_NAMES: Readonly<Record<string, [name: string, category: string]>> = {
  AmazonEC2: ['Amazon Elastic Compute Cloud', 'Compute'],
  AmazonBedrock: ['Amazon Bedrock', 'AI and Machine Learning'],
  AmazonSageMaker: ['Amazon SageMaker', 'AI and Machine Learning'],
  AmazonS3: ['Amazon Simple Storage Service', 'Storage'],
};

/** AWS Cost and Usage Report 2.0 (Data Exports), CSV, gzip CSV or Parquet. */
export const awsCur2: ImportFormat = {
  id: 'aws-cur2',
  label: 'AWS Cost and Usage Report 2.0',
  containers: ['csv', 'parquet'],
  detect: ({ columns }) =>
    columns.includes('line_item_usage_start_date') && columns.includes('line_item_unblended_cost'),
  toRows: curRow,
};

function curRow(values: Values): CostRow {
  const productCode = text(values, 'line_item_product_code') ?? 'AWS';
  const [serviceName, serviceCategory] = SERVICE_NAMES[productCode] ?? [
    text(values, 'product_product_name') ?? productCode,
    null,
  ];
  const billed = requiredMoney(values, 'line_item_unblended_cost');
  const resourceId = text(values, 'line_item_resource_id');
  const usageType = text(values, 'line_item_usage_type');
  const description = text(values, 'line_item_line_item_description');
  const amount = quantity(values, 'line_item_usage_amount');
  const unit = text(values, 'pricing_unit');
  return costRow({
    kind: 'cost',
    provider: 'aws',
    chargePeriodStart: timestamp(values, 'line_item_usage_start_date'),
    chargePeriodEnd: timestamp(values, 'line_item_usage_end_date'),
    serviceName,
    serviceCategory,
    account: text(values, 'line_item_usage_account_id'),
    region: text(values, 'product_region_code') ?? text(values, 'product_region'),
    resourceId,
    resourceType: text(values, 'product_instance_type'),
    skuId: usageType,
    chargeDescription: description,
    pricingCategory: pricingCategory(values, usageType),
    billedCostNanos: billed,
    effectiveCostNanos: effectiveCost(values, billed),
    listCostNanos: money(values, 'pricing_public_on_demand_cost'),
    consumedQuantity: amount,
    consumedUnit: unit === 'Hrs' ? 'Hours' : unit,
    billingCurrency: text(values, 'line_item_currency_code') ?? 'USD',
    tags: tags(values['resource_tags']),
    ...bedrockDetail(productCode, resourceId, usageType, description, amount, unit),
  });
}

function pricingCategory(values: Values, usageType: string | null): PricingCategory | null {
  const term = text(values, 'pricing_term');
  const lineType = text(values, 'line_item_line_item_type');
  if (lineType === 'SavingsPlanCoveredUsage' || lineType === 'DiscountedUsage' || term === 'Reserved') {
    return 'commitment';
  }
  if (term === 'Spot' || usageType?.includes('SpotUsage')) return 'spot';
  if (term === 'OnDemand') return 'on-demand';
  return term ? 'other' : null;
}

// Usage covered by a Savings Plan or a reservation costs what the commitment says, not the unblended rate.
function effectiveCost(values: Values, billed: number): number {
  const lineType = text(values, 'line_item_line_item_type');
  if (lineType === 'SavingsPlanCoveredUsage') {
    return money(values, 'savings_plan_savings_plan_effective_cost') ?? billed;
  }
  if (lineType === 'DiscountedUsage') return money(values, 'reservation_effective_cost') ?? billed;
  return billed;
}

function bedrockDetail(
  productCode: string,
  resourceId: string | null,
  usageType: string | null,
  description: string | null,
  amount: number | null,
  unit: string | null,
): Partial<CostRow> {
  if (productCode !== 'AmazonBedrock' || amount === null) return {};
  const kind = tokenLineKind(usageType, description);
  if (!kind) return {};
  return { model: bedrockModel(resourceId), ...tokenColumns(kind, tokensFromQuantity(amount, unit)) };
}
