// Rewrites the hand-checked cloud bill samples in resources/samples/ as the other exports that carry the
// same charges, so every importer variant is tested against figures already worked out by hand:
//
//   aws-cur2.csv                      -> aws-cur2.parquet (CUR 2.0 Parquet: timestamps, doubles, MAP tags)
//   focus-1.0-aws.csv (+ CUR x_ data) -> focus-1.2-aws.parquet (FOCUS 1.2 columns, AWS x_ columns)
//   gcp-billing-export.jsonl          -> gcp-billing-export.csv (BigQuery CSV: dotted names, JSON lists)
//   azure-cost-details-ea-actual.csv  -> azure-cost-details-mca-amortized.csv (MCA 2023-12-01 schema)
//
//   node scripts/generate-cloud-samples.ts
//
// Deterministic: the output depends only on the input files (no clock, no randomness).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import Papa from 'papaparse';

type Row = Record<string, string>;
type Kind = 'string' | 'double' | 'timestamp' | 'map';

const SAMPLES = join(import.meta.dirname, '../resources/samples');

function readCsv(name: string): Row[] {
  const parsed = Papa.parse<Row>(readFileSync(join(SAMPLES, name), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  return parsed.data;
}

function writeCsv(name: string, columns: string[], rows: Array<Record<string, unknown>>): void {
  const data = rows.map((row) => columns.map((c) => row[c] ?? ''));
  writeFileSync(join(SAMPLES, name), `${Papa.unparse({ fields: columns, data }, { newline: '\n' })}\n`);
}

/** Writes rows of strings as Parquet, converting each column to its kind; '' is null. */
function writeParquet(name: string, columns: Array<[string, Kind]>, rows: Row[]): void {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  const columnData = columns.map(([column, kind]) => {
    schema.push(...schemaOf(column, kind));
    return { name: column, data: rows.map((row) => convert(row[column] ?? '', kind)) };
  });
  const buffer = parquetWriteBuffer({ columnData, schema, createdBy: 'netra-apex generate-cloud-samples' });
  writeFileSync(join(SAMPLES, name), new Uint8Array(buffer));
}

function schemaOf(name: string, kind: Kind): SchemaElement[] {
  const utf8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const;
  switch (kind) {
    case 'string':
      return [{ name, ...utf8, repetition_type: 'OPTIONAL' }];
    case 'double':
      return [{ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }];
    case 'timestamp':
      return [{ name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type: 'OPTIONAL' }];
    case 'map':
      return [
        { name, repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
        { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
        { name: 'key', ...utf8, repetition_type: 'REQUIRED' },
        { name: 'value', ...utf8, repetition_type: 'OPTIONAL' },
      ];
  }
}

function convert(value: string, kind: Kind): unknown {
  if (value === '') return null;
  if (kind === 'double') return Number(value);
  if (kind === 'timestamp') return new Date(value);
  if (kind === 'map') return JSON.parse(value) as Record<string, string>;
  return value;
}

// CUR 2.0 types from the Data Exports table dictionary: rates are strings, amounts and costs doubles.
function curKind(column: string): Kind {
  if (column.endsWith('_date')) return 'timestamp';
  if (column === 'resource_tags') return 'map';
  if (/_(usage_amount|cost)$/.test(column)) return 'double';
  return 'string';
}

function curParquet(): void {
  const rows = readCsv('aws-cur2.csv');
  const columns = Object.keys(rows[0] ?? {}).map((c): [string, Kind] => [c, curKind(c)]);
  writeParquet('aws-cur2.parquet', columns, rows);
}

// FOCUS 1.2 column set (alphabetical, as AWS writes it), then the 1.3 provider names and AWS's x_ columns.
const FOCUS_12 =
  `AvailabilityZone BilledCost BillingAccountId BillingAccountName BillingAccountType BillingCurrency
  BillingPeriodEnd BillingPeriodStart CapacityReservationId CapacityReservationStatus ChargeCategory ChargeClass
  ChargeDescription ChargeFrequency ChargePeriodEnd ChargePeriodStart CommitmentDiscountCategory CommitmentDiscountId
  CommitmentDiscountName CommitmentDiscountQuantity CommitmentDiscountStatus CommitmentDiscountType
  CommitmentDiscountUnit ConsumedQuantity ConsumedUnit ContractedCost ContractedUnitPrice EffectiveCost InvoiceId
  InvoiceIssuerName ListCost ListUnitPrice PricingCategory PricingCurrency PricingCurrencyContractedUnitPrice
  PricingCurrencyEffectiveCost PricingCurrencyListUnitPrice PricingQuantity PricingUnit ProviderName PublisherName
  RegionId RegionName ResourceId ResourceName ResourceType ServiceCategory ServiceName ServiceSubcategory SkuId
  SkuMeter SkuPriceDetails SkuPriceId SubAccountId SubAccountName SubAccountType Tags
  ServiceProviderName HostProviderName x_Discounts x_Operation x_ServiceCode`.split(/\s+/);

function focusKind(column: string): Kind {
  if (/^(BillingPeriod|ChargePeriod)(Start|End)$/.test(column)) return 'timestamp';
  if (column === 'Tags' || column === 'x_Discounts') return 'map';
  if (/(Cost|Price|Quantity)$/.test(column)) return 'double';
  return 'string';
}

function focusParquet(): void {
  const cur = readCsv('aws-cur2.csv');
  // The FOCUS sample lists the same charges in the same order as the CUR sample.
  const rows = readCsv('focus-1.0-aws.csv').map((row, i): Row => {
    const line = cur[i] ?? {};
    const bedrock = line['line_item_product_code'] === 'AmazonBedrock';
    return {
      ...row,
      BillingAccountType: 'Management Account',
      SubAccountType: 'Member Account',
      PricingCurrency: row['BillingCurrency'] ?? 'USD',
      PricingCurrencyContractedUnitPrice: row['ContractedUnitPrice'] ?? '',
      PricingCurrencyEffectiveCost: row['EffectiveCost'] ?? '',
      PricingCurrencyListUnitPrice: row['ListUnitPrice'] ?? '',
      ServiceSubcategory: bedrock ? 'Generative AI' : 'Virtual Machines',
      ServiceProviderName: row['ProviderName'] ?? '',
      HostProviderName: row['ProviderName'] ?? '',
      x_Operation: line['line_item_operation'] ?? '',
      x_ServiceCode: line['line_item_product_code'] ?? '',
    };
  });
  writeParquet(
    'focus-1.2-aws.parquet',
    FOCUS_12.map((c): [string, Kind] => [c, focusKind(c)]),
    rows,
  );
}

/** A BigQuery row as the console's CSV download writes it: records as dotted columns, lists as JSON. */
function flattenGcp(value: unknown, prefix: string, out: Record<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value))
      flattenGcp(child, prefix ? `${prefix}.${key}` : key, out);
  } else if (Array.isArray(value)) out[prefix] = JSON.stringify(value);
  else out[prefix] = value === null || value === undefined ? '' : String(value);
}

function gcpCsv(): void {
  const lines = readFileSync(join(SAMPLES, 'gcp-billing-export.jsonl'), 'utf8').split('\n').filter(Boolean);
  const rows = lines.map((line) => {
    const out: Record<string, string> = {};
    flattenGcp(JSON.parse(line), '', out);
    return out;
  });
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  writeCsv('gcp-billing-export.csv', columns, rows);
}

const MCA_COLUMNS =
  `invoiceId previousInvoiceId billingAccountId billingAccountName billingProfileId billingProfileName
  invoiceSectionId invoiceSectionName resellerName resellerMpnId costCenter billingPeriodEndDate billingPeriodStartDate
  servicePeriodEndDate servicePeriodStartDate date serviceFamily productOrderId productOrderName consumedService
  meterId meterName meterCategory meterSubCategory meterRegion ProductId ProductName SubscriptionId subscriptionName
  publisherType publisherId publisherName resourceGroupName ResourceId resourceLocation location effectivePrice
  quantity unitOfMeasure chargeType billingCurrency pricingCurrency costInBillingCurrency costInPricingCurrency
  costInUsd paygCostInBillingCurrency paygCostInUsd exchangeRatePricingToBilling exchangeRateDate
  isAzureCreditEligible serviceInfo1 serviceInfo2 additionalInfo tags PayGPrice frequency term reservationId
  reservationName pricingModel unitPrice costAllocationRuleName benefitId benefitName provider`.split(/\s+/);

// Exact decimal product of two plain decimal strings (PayGPrice x Quantity), trailing zeros dropped.
function multiplyDecimals(a: string, b: string): string {
  const scaleOf = (s: string): number => (s.split('.')[1] ?? '').length;
  const scale = scaleOf(a) + scaleOf(b);
  const digits = (BigInt(a.replace('.', '')) * BigInt(b.replace('.', '')))
    .toString()
    .padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

// MCA exports often write tags without the outer braces; the EA sample has them, so this file covers both.
const bracelessTags = (tags: string): string => tags.trim().replace(/^\{/, '').replace(/\}$/, '');

function mcaRow(ea: Row): Record<string, string> {
  const get = (key: string): string => ea[key] ?? '';
  const payg = multiplyDecimals(get('PayGPrice'), get('Quantity'));
  const cost = get('CostInBillingCurrency');
  const rest: Record<string, string> = {};
  for (const column of MCA_COLUMNS) rest[column] = get(column.charAt(0).toUpperCase() + column.slice(1));
  return {
    ...rest,
    billingAccountId: '00000000-1234-5678-9abc-000000000000:00000000-1234-5678-9abc-000000000001_2019-05-31',
    billingAccountName: 'Example Corp',
    billingProfileId: 'ABCD-EF12-BG7-PGB',
    billingProfileName: 'Example Billing Profile',
    invoiceSectionId: 'WXYZ-1234-PJA-PGB',
    servicePeriodEndDate: get('BillingPeriodEndDate'),
    servicePeriodStartDate: get('BillingPeriodStartDate'),
    productOrderId: '00000000-1234-5678-9abc-00000000a001',
    productOrderName: 'Azure plan',
    resourceGroupName: get('ResourceGroup'),
    location: get('ResourceLocationNormalized'),
    billingCurrency: get('BillingCurrencyCode'),
    pricingCurrency: get('BillingCurrencyCode'),
    costInPricingCurrency: cost,
    costInUsd: cost,
    paygCostInBillingCurrency: payg,
    paygCostInUsd: payg,
    exchangeRatePricingToBilling: '1',
    exchangeRateDate: get('BillingPeriodStartDate'),
    tags: bracelessTags(get('Tags')),
    // EA writes "On Demand", MCA "OnDemand".
    pricingModel: get('PricingModel').replace(/\s+/g, ''),
    provider: 'Azure',
  };
}

function azureMca(): void {
  const rows = readCsv('azure-cost-details-ea-actual.csv').map(mcaRow);
  writeCsv('azure-cost-details-mca-amortized.csv', MCA_COLUMNS, rows);
}

curParquet();
focusParquet();
gcpCsv();
azureMca();
