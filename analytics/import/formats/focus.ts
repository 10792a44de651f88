import type { CostRow } from '../../../contracts/cost.ts';
import { money, quantity, requiredMoney, tags, text, timestamp } from '../fields.ts';
import { costRow } from '../row.ts';
import type { ImportFormat, Probe } from '../types.ts';
import { focusPricingCategory, focusProvider, focusResourceType, focusTokenDetail } from './focus-fields.ts';

type Values = Record<string, unknown>;

/**
 * FinOps FOCUS 1.0 to 1.3 (AWS, Azure, GCP and other FOCUS exports), CSV, gzip CSV or Parquet. Column
 * names are the spec's; later versions only add columns, so one mapping reads them all.
 */
export const focus: ImportFormat = {
  id: 'focus',
  label: 'FinOps FOCUS cost and usage export',
  containers: ['csv', 'parquet'],
  detect: detectFocus,
  toRows: focusRow,
};

function detectFocus({ columns }: Probe): boolean {
  return columns.includes('BilledCost') && columns.includes('ChargePeriodStart');
}

function focusRow(values: Values): CostRow {
  const provider = focusProvider(values);
  const billed = requiredMoney(values, 'BilledCost');
  const resourceId = text(values, 'ResourceId');
  return costRow({
    kind: 'cost',
    provider,
    chargePeriodStart: timestamp(values, 'ChargePeriodStart'),
    chargePeriodEnd: timestamp(values, 'ChargePeriodEnd'),
    serviceName: text(values, 'ServiceName') ?? provider,
    serviceCategory: text(values, 'ServiceCategory'),
    // SubAccountId is the usage account (AWS linked account, Azure subscription, GCP project), as in CUR.
    account: text(values, 'SubAccountId') ?? text(values, 'BillingAccountId'),
    region: text(values, 'RegionId') ?? text(values, 'RegionName'),
    resourceId,
    resourceType: focusResourceType(values),
    skuId: text(values, 'SkuId'),
    chargeDescription: text(values, 'ChargeDescription'),
    pricingCategory: focusPricingCategory(values),
    billedCostNanos: billed,
    effectiveCostNanos: money(values, 'EffectiveCost') ?? billed,
    listCostNanos: money(values, 'ListCost'),
    consumedQuantity: quantity(values, 'ConsumedQuantity'),
    consumedUnit: text(values, 'ConsumedUnit'),
    billingCurrency: text(values, 'BillingCurrency') ?? 'USD',
    tags: tags(values['Tags']),
    ...focusTokenDetail(values, provider, resourceId),
  });
}
