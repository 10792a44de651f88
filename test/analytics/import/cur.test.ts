import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { awsCur2 } from '../../../analytics/import/formats/aws-cur.ts';
import { importFile } from '../../../analytics/import/importer.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { SAMPLES, importSample, prices, scratchDir, storedRows } from './support.ts';

const dir = scratchDir('apex-cur-import-');

type Totals = Record<string, number | null>;

function totals(db: Database.Database, where = '1 = 1', ...params: unknown[]): Totals {
  return db
    .prepare(
      `SELECT count(*) AS rows, sum(billed_nanos) AS billed, sum(effective_nanos) AS effective,
         sum(list_nanos) AS list, sum(quantity) AS quantity, sum(input_tokens) AS input,
         sum(cached_input_tokens) AS cached, sum(output_tokens) AS output
       FROM cost_rows WHERE ${where}`,
    )
    .get(...params) as Totals;
}

// README: 98 line items, $22,827.784 unblended, $24,047.5984 public on-demand.
const CUR_TOTALS = {
  rows: 98,
  billed: 22_827_784_000_000,
  effective: 22_827_784_000_000,
  list: 24_047_598_400_000,
};

describe('AWS CUR 2.0 import', () => {
  it.each(['aws-cur2.csv', 'aws-cur2.csv.gz', 'aws-cur2.parquet'])(
    '%s imports all 98 charges',
    async (name) => {
      const db = openStore(':memory:');
      const summary = await importSample(db, name);
      expect(summary).toMatchObject({
        status: 'imported',
        format: 'aws-cur2',
        rowsRead: 98,
        rowsImported: 98,
      });
      expect(summary.issueCount).toBe(0);
      expect(totals(db)).toMatchObject(CUR_TOTALS);
    },
  );

  it('maps the planted GPU and Bedrock lines', async () => {
    const db = openStore(':memory:');
    await importSample(db, 'aws-cur2.csv');
    // 24/7 idle p4d: 336 h, $11,011.5936, tagged with its utilization.
    expect(totals(db, "resource_type = 'p4d.24xlarge' AND pricing_category = 'on-demand'")).toMatchObject({
      rows: 14,
      billed: 11_011_593_600_000,
      quantity: 336,
    });
    const tags = db
      .prepare("SELECT DISTINCT tags FROM cost_rows WHERE resource_id = 'i-0a4d00000000idle1'")
      .pluck()
      .all();
    expect(tags.map((t) => JSON.parse(t as string))).toEqual([
      expect.objectContaining({ 'user:gpu-util-avg-7d': '0.02' }),
    ]);
    expect(totals(db, "pricing_category = 'spot'")).toMatchObject({
      rows: 14,
      billed: 685_977_600_000,
      list: 1_905_792_000_000,
    });
    // Bedrock: 840,000 + 14,000 (cache reads) x 1K input, 42,000 x 1K output.
    expect(totals(db, "model = 'anthropic.claude-sonnet-4-20250514-v1:0'")).toMatchObject({
      rows: 42,
      billed: 3_154_200_000_000,
      input: 854_000_000,
      cached: 14_000_000,
      output: 42_000_000,
    });
  });

  it('the Parquet export stores exactly the rows of the CSV export', async () => {
    const fromCsv = openStore(':memory:');
    await importSample(fromCsv, 'aws-cur2.csv');
    const fromParquet = openStore(':memory:');
    await importSample(fromParquet, 'aws-cur2.parquet');
    expect(storedRows(fromParquet)).toEqual(storedRows(fromCsv));
  });

  it('skips the truncated line 42 of the with-errors file and imports the rest', async () => {
    const db = openStore(':memory:');
    const summary = await importSample(db, 'aws-cur2-with-errors.csv');
    expect(summary).toMatchObject({
      status: 'imported',
      rowsRead: 99,
      rowsImported: 98,
      rowsSkipped: 1,
      issueCount: 1,
    });
    expect(summary.issues).toEqual([{ line: 42, message: expect.stringMatching(/12 fields.*27/) }]);
    expect(totals(db)).toMatchObject(CUR_TOTALS);
  });

  it('re-importing the same file, even renamed, changes nothing', async () => {
    const db = openStore(':memory:');
    await importSample(db, 'aws-cur2.csv');
    const renamed = join(dir, 'renamed.csv');
    copyFileSync(join(SAMPLES, 'aws-cur2.csv'), renamed);
    for (const again of [await importSample(db, 'aws-cur2.csv'), await importFile(renamed, { db, prices })]) {
      expect(again).toMatchObject({ status: 'already-imported', rowsImported: 0 });
    }
    expect(totals(db)).toMatchObject(CUR_TOTALS);
    expect(db.prepare('SELECT count(*) FROM import_files').pluck().get()).toBe(1);
  });

  it.each(['aws-cur2.csv.gz', 'aws-cur2.parquet', 'focus-1.0-aws.csv', 'focus-1.2-aws.parquet'])(
    'after aws-cur2.csv, %s (the same charges) adds no rows',
    async (name) => {
      const db = openStore(':memory:');
      await importSample(db, 'aws-cur2.csv');
      const second = await importSample(db, name);
      expect(second).toMatchObject({ status: 'imported', rowsRead: 98, rowsImported: 0, rowsDuplicate: 98 });
      expect(totals(db)).toMatchObject(CUR_TOTALS);
    },
  );

  it('reads Parquet timestamps, doubles and MAP tags through the same field helpers', () => {
    const row = awsCur2.toRows(
      {
        line_item_usage_start_date: new Date('2026-10-01T00:00:00Z'),
        line_item_usage_end_date: new Date('2026-10-02T00:00:00Z'),
        line_item_unblended_cost: 786.5424,
        line_item_usage_amount: 24,
        line_item_product_code: 'AmazonEC2',
        product_instance_type: 'p4d.24xlarge',
        resource_tags: { 'user:team': 'research' },
      },
      { prices },
    );
    expect(row).toMatchObject({
      chargePeriodStart: Date.UTC(2026, 9, 1),
      billedCostNanos: 786_542_400_000,
      resourceType: 'p4d.24xlarge',
      tags: { 'user:team': 'research' },
    });
  });
});
