import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { azureCostDetails } from '../../../analytics/import/formats/azure-cost.ts';
import { importFile } from '../../../analytics/import/importer.ts';
import type { Probe } from '../../../analytics/import/types.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { SAMPLES, importSample, prices, scratchDir, storedRows } from './support.ts';

const dir = scratchDir('apex-azure-import-');

type Totals = Record<string, number | null>;

function totals(db: Database.Database, where = '1 = 1'): Totals {
  return db
    .prepare(
      `SELECT count(*) AS rows, sum(billed_nanos) AS billed, sum(effective_nanos) AS effective,
         sum(list_nanos) AS list, sum(quantity) AS quantity, sum(input_tokens) AS input, sum(output_tokens) AS output
       FROM cost_rows WHERE ${where}`,
    )
    .get() as Totals;
}

// README: $3,760.7312 CostInBillingCurrency; pay-as-you-go $1,234.128 + $809.088 + $2,375 = $4,418.216.
const AZURE_TOTALS = {
  rows: 42,
  billed: 3_760_731_200_000,
  effective: 3_760_731_200_000,
  list: 4_418_216_000_000,
};
const SAMPLE_FILES = ['azure-cost-details-ea-actual.csv', 'azure-cost-details-mca-amortized.csv'];

const EA_ROW = {
  Date: '10/01/2026',
  CostInBillingCurrency: '10',
  MeterCategory: 'Virtual Machines',
  MeterName: 'D2s v3',
  SubscriptionId: 'sub-1',
};
const row = (extra: Record<string, unknown>) => azureCostDetails.toRows({ ...EA_ROW, ...extra }, { prices });

describe('Azure cost details import', () => {
  it.each(SAMPLE_FILES)('%s imports the 42 rows with the README totals', async (name) => {
    const db = openStore(':memory:');
    const summary = await importSample(db, name);
    expect(summary).toMatchObject({
      status: 'imported',
      format: 'azure-cost-details',
      rowsRead: 42,
      rowsImported: 42,
      issueCount: 0,
    });
    expect(totals(db)).toMatchObject(AZURE_TOTALS);
    expect(db.prepare('SELECT DISTINCT provider, kind, account FROM cost_rows').all()).toEqual([
      { provider: 'azure', kind: 'cost', account: '00000000-aaaa-bbbb-cccc-000000000001' },
    ]);
  });

  it.each(SAMPLE_FILES)(
    '%s carries VM sizes, the spot reference, tags and Azure OpenAI tokens',
    async (name) => {
      const db = openStore(':memory:');
      await importSample(db, name);
      expect(
        totals(db, "resource_type = 'Standard_NC24ads_A100_v4' AND pricing_category = 'on-demand'"),
      ).toMatchObject({
        rows: 14,
        billed: 1_234_128_000_000,
        quantity: 336,
      });
      const tags = db
        .prepare("SELECT DISTINCT tags FROM cost_rows WHERE resource_type = 'Standard_NC24ads_A100_v4'")
        .pluck()
        .get();
      expect(JSON.parse(tags as string)).toEqual({ team: 'research', 'gpu-util-avg-7d': '0.01' });
      expect(totals(db, "pricing_category = 'spot'")).toMatchObject({
        rows: 14,
        billed: 151_603_200_000,
        list: 809_088_000_000,
        quantity: 672,
      });
      expect(
        db
          .prepare("SELECT DISTINCT resource_type FROM cost_rows WHERE pricing_category = 'spot'")
          .pluck()
          .get(),
      ).toBe('Standard_NC8as_T4_v3');
      // 13 days of 50,000 x 1K input tokens and 300,000 x 1K on the spike day.
      expect(totals(db, "model = 'gpt-4o-0806'")).toMatchObject({
        rows: 14,
        billed: 2_375_000_000_000,
        input: 950_000_000,
        output: 0,
      });
      expect(totals(db, `period_start = ${Date.UTC(2026, 9, 9)}`)).toMatchObject({ billed: 848_980_800_000 });
    },
  );

  it('the MCA amortized file stores exactly the rows of the EA actual file, and adds none after it', async () => {
    const fromEa = openStore(':memory:');
    await importSample(fromEa, 'azure-cost-details-ea-actual.csv');
    const fromMca = openStore(':memory:');
    await importSample(fromMca, 'azure-cost-details-mca-amortized.csv');
    expect(storedRows(fromMca)).toEqual(storedRows(fromEa));
    const again = await importSample(fromEa, 'azure-cost-details-mca-amortized.csv');
    expect(again).toMatchObject({ status: 'imported', rowsImported: 0, rowsDuplicate: 42 });
  });

  it('detects the file by its columns, not its name', async () => {
    const file = join(dir, 'gcp-billing-export.csv');
    copyFileSync(join(SAMPLES, 'azure-cost-details-mca-amortized.csv'), file);
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    expect(summary).toMatchObject({ status: 'imported', format: 'azure-cost-details', rowsImported: 42 });
    const probe = (columns: string[]): Probe => ({ container: 'csv', columns, first: undefined });
    expect(azureCostDetails.detect(probe(['UsageDateTime', 'PreTaxCost', 'MeterCategory']))).toBe(true);
    expect(azureCostDetails.detect(probe(['Date', 'Cost']))).toBe(false);
  });

  it('reports a bad CostInBillingCurrency with its line and imports the other rows', async () => {
    const lines = readFileSync(join(SAMPLES, 'azure-cost-details-ea-actual.csv'), 'utf8').split('\n');
    lines[3] = (lines[3] ?? '').replace(',50000,0.0025,125,', ',50000,0.0025,abc,');
    const file = join(dir, 'azure-bad.csv');
    writeFileSync(file, lines.join('\n'));
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    expect(summary).toMatchObject({ rowsRead: 42, rowsImported: 41, rowsSkipped: 1 });
    expect(summary.issues).toEqual([{ line: 4, message: 'CostInBillingCurrency is not an amount: "abc"' }]);
  });

  it('reads tags with or without their outer braces', () => {
    expect(row({ Tags: '"env": "prod","team":"ml"' })).toMatchObject({ tags: { env: 'prod', team: 'ml' } });
    expect(row({ Tags: '{"env":"prod"}' })).toMatchObject({ tags: { env: 'prod' } });
    expect(row({ Tags: '' })).toMatchObject({ tags: null });
    expect(() => row({ Tags: 'env=prod' })).toThrow(/tags are not a JSON object/);
  });

  it('prices PayGPrice x Quantity exactly, rounding half away from zero at the nano', () => {
    expect(row({ PayGPrice: '0.1', Quantity: '3' })).toMatchObject({ listCostNanos: 300_000_000 });
    expect(row({ PayGPrice: '0.123456789', Quantity: '0.5' })).toMatchObject({ listCostNanos: 61_728_395 });
    expect(row({ PayGPrice: 1.204, Quantity: 48 })).toMatchObject({ listCostNanos: 57_792_000_000 });
    expect(row({ paygCostInBillingCurrency: '5.5', PayGPrice: '1', Quantity: '1' })).toMatchObject({
      listCostNanos: 5_500_000_000,
    });
    expect(row({})).toMatchObject({ listCostNanos: null });
    expect(() => row({ PayGPrice: 'n/a', Quantity: '1' })).toThrow(/PayGPrice is not a number/);
    expect(() => row({ PayGPrice: '1e999999', Quantity: '1' })).toThrow(/PayGPrice is out of range/);
  });

  it('reads abbreviated Azure OpenAI meters: input, cached input and output', () => {
    const line = (meter: string) =>
      row({
        MeterCategory: 'Cognitive Services',
        MeterSubCategory: 'Azure OpenAI',
        MeterName: meter,
        Quantity: '2',
        UnitOfMeasure: '1K',
      });
    expect(line('gpt-4o-0806 Inp glbl 1K Tokens')).toMatchObject({
      model: 'gpt-4o-0806',
      inputTokens: 2000,
      cachedInputTokens: 0,
    });
    expect(line('gpt-4o-0806 cchd Inp glbl 1K Tokens')).toMatchObject({
      inputTokens: 2000,
      cachedInputTokens: 2000,
    });
    expect(line('gpt-4o-mini-0718 Outp regnl 1K Tokens')).toMatchObject({
      model: 'gpt-4o-mini-0718',
      outputTokens: 2000,
    });
    expect(line('Standard S0 Hosting Hours')).toMatchObject({ model: null, inputTokens: null });
  });

  it('maps pricing models, VM sizes from AdditionalInfo, hour units and older column names', () => {
    expect(row({ PricingModel: 'Reservation' })).toMatchObject({ pricingCategory: 'commitment' });
    expect(row({ pricingModel: 'SavingsPlan' })).toMatchObject({ pricingCategory: 'commitment' });
    expect(row({ PricingModel: 'OnDemand' })).toMatchObject({
      pricingCategory: 'on-demand',
      resourceType: 'Standard_D2s_v3',
    });
    const info = '{"UsageType":"ComputeHR","ServiceType":"Standard_ND96isr_H100_v5","VCPUs":96}';
    expect(row({ AdditionalInfo: info, Quantity: '2', UnitOfMeasure: '10 Hours' })).toMatchObject({
      resourceType: 'Standard_ND96isr_H100_v5',
      consumedQuantity: 20,
      consumedUnit: 'Hours',
    });
    expect(row({ AdditionalInfo: '{not json' })).toMatchObject({ resourceType: 'Standard_D2s_v3' });
    const old = azureCostDetails.toRows(
      {
        UsageDateTime: '2026-10-01',
        PreTaxCost: '2.5',
        MeterCategory: 'Storage',
        InstanceId: '/subscriptions/x/disk',
        SubscriptionGuid: 'g',
      },
      { prices },
    );
    expect(old).toMatchObject({
      billedCostNanos: 2_500_000_000,
      resourceId: '/subscriptions/x/disk',
      account: 'g',
    });
    expect(old).toMatchObject({
      chargePeriodStart: Date.UTC(2026, 9, 1),
      chargePeriodEnd: Date.UTC(2026, 9, 2),
    });
  });
});
