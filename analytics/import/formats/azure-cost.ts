import type { CostRow } from '../../../contracts/cost.ts';
import { quantity, requiredMoney, timestamp } from '../fields.ts';
import { costRow } from '../row.ts';
import type { ImportFormat, Probe } from '../types.ts';
import {
  azureListCost,
  azurePricingCategory,
  azureResourceType,
  azureServiceCategory,
  azureTags,
  azureText,
  azureUsage,
  column,
} from './azure-fields.ts';
import { azureTokenDetail } from './azure-openai.ts';

type Values = Record<string, unknown>;

const DAY_MS = 86_400_000;

/**
 * Azure Cost Management cost details (EA and MCA, actual or amortized; older PreTaxCost/Cost files too),
 * CSV, gzip CSV or Parquet. Rows are daily. With no reservations or savings plans the actual and
 * amortized files hold the same charges, so importing both stores each charge once.
 */
export const azureCostDetails: ImportFormat = {
  id: 'azure-cost-details',
  label: 'Azure Cost Management cost details',
  containers: ['csv', 'parquet'],
  detect: detectAzure,
  toRows: azureRow,
};

function detectAzure({ columns }: Probe): boolean {
  const names = new Set(columns.map((name) => name.toLowerCase()));
  const hasDate = names.has('date') || names.has('usagedatetime');
  const hasCost = names.has('costinbillingcurrency') || names.has('pretaxcost') || names.has('cost');
  // "Date" and "Cost" alone are too common; every Azure schema also has meter columns.
  const hasMeter = names.has('metercategory') || names.has('metername') || names.has('meterid');
  return hasDate && hasCost && hasMeter;
}

function azureRow(values: Values): CostRow {
  const start = timestamp(values, column(values, 'Date', 'UsageDateTime'));
  const billed = requiredMoney(values, column(values, 'CostInBillingCurrency', 'PreTaxCost', 'Cost'));
  const quantityKey = column(values, 'Quantity', 'ConsumedQuantity', 'UsageQuantity');
  const qty = quantity(values, quantityKey);
  const usage = azureUsage(qty, azureText(values, 'UnitOfMeasure'));
  return costRow({
    kind: 'cost',
    provider: 'azure',
    chargePeriodStart: start,
    chargePeriodEnd: start + DAY_MS,
    serviceName: azureText(values, 'MeterCategory', 'ServiceName', 'ConsumedService') ?? 'Microsoft Azure',
    serviceCategory: azureServiceCategory(values),
    account: azureText(values, 'SubscriptionId', 'SubscriptionGuid'),
    region: azureText(values, 'ResourceLocation', 'Location', 'MeterRegion'),
    resourceId: azureText(values, 'ResourceId', 'InstanceId'),
    resourceType: azureResourceType(values),
    skuId: azureText(values, 'MeterId', 'MeterName'),
    chargeDescription: azureText(values, 'MeterName', 'ProductName', 'Product'),
    pricingCategory: azurePricingCategory(values),
    billedCostNanos: billed,
    // Amortized files already spread reservation purchases into this column; actual files have no amortization.
    effectiveCostNanos: billed,
    listCostNanos: azureListCost(values, quantityKey),
    consumedQuantity: usage.quantity,
    consumedUnit: usage.unit,
    billingCurrency: azureText(values, 'BillingCurrencyCode', 'BillingCurrency', 'Currency') ?? 'USD',
    tags: azureTags(values[column(values, 'Tags')]),
    ...azureTokenDetail(values, qty),
  });
}
