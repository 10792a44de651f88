import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { focus } from '../../../analytics/import/formats/focus.ts';
import { gcpSeriesFromSku, instanceTypeFrom } from '../../../analytics/import/formats/gpu-types.ts';
import { importFile } from '../../../analytics/import/importer.ts';
import { RowError } from '../../../analytics/import/types.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { SAMPLES, importSample, prices, scratchDir, storedRows } from './support.ts';

const dir = scratchDir('apex-focus-import-');

type Totals = Record<string, number | null>;

function totals(db: Database.Database, where = '1 = 1'): Totals {
  return db
    .prepare(
      `SELECT count(*) AS rows, sum(billed_nanos) AS billed, sum(effective_nanos) AS effective,
         sum(list_nanos) AS list, sum(quantity) AS quantity, sum(input_tokens) AS input,
         sum(cached_input_tokens) AS cached, sum(output_tokens) AS output
       FROM cost_rows WHERE ${where}`,
    )
    .get() as Totals;
}

// README: BilledCost = EffectiveCost = $22,827.784; ListCost $24,047.5984.
const FOCUS_TOTALS = {
  rows: 98,
  billed: 22_827_784_000_000,
  effective: 22_827_784_000_000,
  list: 24_047_598_400_000,
};
const SAMPLE_FILES = ['focus-1.0-aws.csv', 'focus-1.2-aws.parquet'];

const FOCUS_ROW = {
  ProviderName: 'AWS',
  BilledCost: '10',
  ChargePeriodStart: '2026-10-01T00:00:00Z',
  ChargePeriodEnd: '2026-10-02T00:00:00Z',
  ServiceName: 'Amazon Elastic Compute Cloud',
};

describe('FOCUS import', () => {
  it.each(SAMPLE_FILES)('%s imports the 98 AWS charges with the README totals', async (name) => {
    const db = openStore(':memory:');
    const summary = await importSample(db, name);
    expect(summary).toMatchObject({
      status: 'imported',
      format: 'focus',
      rowsRead: 98,
      rowsImported: 98,
      issueCount: 0,
    });
    expect(totals(db)).toMatchObject(FOCUS_TOTALS);
    expect(db.prepare('SELECT DISTINCT provider, kind FROM cost_rows').all()).toEqual([
      { provider: 'aws', kind: 'cost' },
    ]);
  });

  it.each(SAMPLE_FILES)(
    '%s carries instance types, spot categories, tags and Bedrock tokens',
    async (name) => {
      const db = openStore(':memory:');
      await importSample(db, name);
      const types = db.prepare('SELECT DISTINCT resource_type FROM cost_rows ORDER BY 1').pluck().all();
      expect(types).toEqual([null, 'g5.12xlarge', 'g6.xlarge', 'p4d.24xlarge', 'p5.48xlarge']);
      expect(totals(db, "pricing_category = 'spot'")).toMatchObject({ rows: 14, billed: 685_977_600_000 });
      expect(totals(db, "resource_type = 'p4d.24xlarge'")).toMatchObject({
        rows: 14,
        billed: 11_011_593_600_000,
        quantity: 336,
      });
      const tags = db
        .prepare("SELECT DISTINCT tags FROM cost_rows WHERE resource_type = 'p4d.24xlarge'")
        .pluck()
        .get();
      expect(JSON.parse(tags as string)).toMatchObject({ 'user:gpu-util-avg-7d': '0.02' });
      // ConsumedQuantity is already tokens: 840M + 14M (cache reads) input, 42M output.
      expect(totals(db, "model = 'anthropic.claude-sonnet-4-20250514-v1:0'")).toMatchObject({
        rows: 42,
        input: 854_000_000,
        cached: 14_000_000,
        output: 42_000_000,
      });
    },
  );

  it('the FOCUS 1.2 Parquet file stores exactly the rows of the 1.0 CSV, and adds none after it', async () => {
    const fromCsv = openStore(':memory:');
    await importSample(fromCsv, 'focus-1.0-aws.csv');
    const fromParquet = openStore(':memory:');
    await importSample(fromParquet, 'focus-1.2-aws.parquet');
    expect(storedRows(fromParquet)).toEqual(storedRows(fromCsv));
    const again = await importSample(fromCsv, 'focus-1.2-aws.parquet');
    expect(again).toMatchObject({ status: 'imported', rowsImported: 0, rowsDuplicate: 98 });
  });

  it.each([
    ['aws-cur2.csv', 'focus-1.0-aws.csv'],
    ['focus-1.0-aws.csv', 'aws-cur2.csv'],
    ['focus-1.2-aws.parquet', 'aws-cur2.csv'],
  ])('after %s, %s (the same charges) adds no rows', async (first, second) => {
    const db = openStore(':memory:');
    await importSample(db, first);
    const summary = await importSample(db, second);
    expect(summary).toMatchObject({ status: 'imported', rowsRead: 98, rowsImported: 0, rowsDuplicate: 98 });
    expect(totals(db)).toMatchObject({ rows: 98, billed: FOCUS_TOTALS.billed });
  });

  it('detects FOCUS by its columns, not its file name', async () => {
    const file = join(dir, 'azure-cost-details.csv');
    copyFileSync(join(SAMPLES, 'focus-1.0-aws.csv'), file);
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    expect(summary).toMatchObject({ status: 'imported', format: 'focus', rowsImported: 98 });
  });

  it('reports a bad BilledCost with its line and imports the other rows', async () => {
    const lines = readFileSync(join(SAMPLES, 'focus-1.0-aws.csv'), 'utf8').split('\n');
    lines[4] = (lines[4] ?? '').replace(/^([^,]*),[^,]*,/, '$1,abc,');
    const file = join(dir, 'focus-bad.csv');
    writeFileSync(file, lines.join('\n'));
    const db = openStore(':memory:');
    const summary = await importFile(file, { db, prices });
    expect(summary).toMatchObject({ rowsRead: 98, rowsImported: 97, rowsSkipped: 1 });
    expect(summary.issues).toEqual([{ line: 5, message: 'BilledCost is not an amount: "abc"' }]);
  });

  it('maps provider names, pricing categories and the size in SkuPriceDetails', () => {
    const row = (extra: Record<string, unknown>) => focus.toRows({ ...FOCUS_ROW, ...extra }, { prices });
    expect(row({ ProviderName: 'Microsoft', PricingCategory: 'Committed' })).toMatchObject({
      provider: 'azure',
      pricingCategory: 'commitment',
    });
    expect(row({ ProviderName: 'Google Cloud', PricingCategory: 'Other' })).toMatchObject({
      provider: 'gcp',
      pricingCategory: 'other',
    });
    expect(row({ ProviderName: 'Oracle', ServiceProviderName: 'Amazon Web Services' })).toMatchObject({
      provider: 'aws',
    });
    expect(row({ ProviderName: 'Oracle Cloud Infrastructure' })).toMatchObject({
      provider: 'oracle cloud infrastructure',
    });
    expect(row({ SkuPriceDetails: '{"InstanceType":"g6e.12xlarge"}' })).toMatchObject({
      resourceType: 'g6e.12xlarge',
    });
    expect(row({ SkuPriceDetails: { InstanceType: 'p5en.48xlarge' } })).toMatchObject({
      resourceType: 'p5en.48xlarge',
    });
    expect(row({ x_SkuMeterName: 'NC24ads A100 v4' })).toMatchObject({
      resourceType: 'Standard_NC24ads_A100_v4',
    });
    expect(row({ EffectiveCost: '7.5', ListCost: '12' })).toMatchObject({
      billedCostNanos: 10_000_000_000,
      effectiveCostNanos: 7_500_000_000,
      listCostNanos: 12_000_000_000,
    });
  });

  it('reads token lines of Azure OpenAI and Vertex AI in FOCUS exports', () => {
    const azure = focus.toRows(
      {
        ...FOCUS_ROW,
        ProviderName: 'Microsoft',
        ServiceName: 'Azure OpenAI Service',
        ChargeDescription: 'gpt-4o-0806 Inp glbl 1K Tokens',
        x_SkuMeterName: 'gpt-4o-0806 Inp glbl 1K Tokens',
        ConsumedQuantity: '50000',
        ConsumedUnit: '1K Tokens',
      },
      { prices },
    );
    expect(azure).toMatchObject({ model: 'gpt-4o-0806', inputTokens: 50_000_000, outputTokens: 0 });
    const gcp = focus.toRows(
      {
        ...FOCUS_ROW,
        ProviderName: 'Google Cloud',
        ServiceName: 'Vertex AI',
        ChargeDescription: 'Gemini 2.5 Pro Output Text Tokens',
        PricingQuantity: '2',
        PricingUnit: '1M tokens',
      },
      { prices },
    );
    expect(gcp).toMatchObject({ model: 'gemini-2.5-pro', inputTokens: 0, outputTokens: 2_000_000 });
  });

  it('rejects a record without a provider or a valid period with a RowError naming the field', () => {
    expect(() => focus.toRows({ ...FOCUS_ROW, ProviderName: '' }, { prices })).toThrow(
      new RowError('ProviderName is missing'),
    );
    expect(() => focus.toRows({ ...FOCUS_ROW, ChargePeriodEnd: 'soon' }, { prices })).toThrow(
      /ChargePeriodEnd/,
    );
    expect(() => focus.toRows({ ...FOCUS_ROW, BilledCost: undefined }, { prices })).toThrow(
      /BilledCost is missing/,
    );
  });
});

describe('instanceTypeFrom', () => {
  it.each([
    ['$32.7726 per On Demand Linux p4d.24xlarge Instance Hour', 'p4d.24xlarge'],
    ['$2.0416 per Linux/UNIX Spot Instance-hour for g5.12xlarge in US East (N. Virginia)', 'g5.12xlarge'],
    ['BoxUsage:p5.48xlarge', 'p5.48xlarge'],
    ['ml.g5.2xlarge hosting', 'ml.g5.2xlarge'],
    ['u-6tb1.metal', 'u-6tb1.metal'],
    ['a2-highgpu-1g', 'a2-highgpu-1g'],
    ['Machine c3-standard-22-lssd in us-central1', 'c3-standard-22-lssd'],
    ['Standard_NC24ads_A100_v4', 'Standard_NC24ads_A100_v4'],
    ['NC8as T4 v3 Spot', 'Standard_NC8as_T4_v3'],
    ['Virtual Machines NCads A100 v4 Series - NC24ads A100 v4 - US East', 'Standard_NC24ads_A100_v4'],
    ['D2s v3', 'Standard_D2s_v3'],
  ])('%s -> %s', (text, type) => {
    expect(instanceTypeFrom(text)).toBe(type);
  });

  it.each([
    'Claude Sonnet 4 input tokens, US East (N. Virginia)',
    'gpt-4o-0806 Inp glbl 1K Tokens',
    'NCads A100 v4 Series',
    'projects/123/zones/us-central1-a/instances/a100-notebook-jdoe',
    'version 1.2.large',
    '',
    null,
  ])('finds no size in %s', (text) => {
    expect(instanceTypeFrom(text)).toBeNull();
  });

  it('gives the GPU, core and RAM SKUs of one GCP VM the same series', () => {
    const skus = [
      'Nvidia Tesla A100 GPU running in Americas',
      'A2 Instance Core running in Americas',
      'A2 Instance Ram running in Americas',
    ];
    expect(skus.map(gcpSeriesFromSku)).toEqual(['a2', 'a2', 'a2']);
    expect(gcpSeriesFromSku('Nvidia Tesla T4 GPU running in Americas')).toBe('n1');
    expect(gcpSeriesFromSku('Gemini 2.5 Pro Input Text Tokens')).toBeNull();
  });
});
