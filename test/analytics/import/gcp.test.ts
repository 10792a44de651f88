import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { gcpBilling } from '../../../analytics/import/formats/gcp-billing.ts';
import { importFile } from '../../../analytics/import/importer.ts';
import type { Probe } from '../../../analytics/import/types.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { SAMPLES, importSample, prices, scratchDir, storedRows } from './support.ts';

const dir = scratchDir('apex-gcp-import-');

type Totals = Record<string, number | null>;

function totals(db: Database.Database, where = '1 = 1'): Totals {
  return db
    .prepare(
      `SELECT count(*) AS rows, sum(billed_nanos) AS billed, sum(effective_nanos) AS effective,
         sum(quantity) AS quantity, sum(input_tokens) AS input, sum(output_tokens) AS output
       FROM cost_rows WHERE ${where}`,
    )
    .get() as Totals;
}

const VM = 'projects/123456789012/zones/us-central1-a/instances/a100-notebook-jdoe';
// README: $2,564.25736 in all; the A100 VM $1,234.25736 (GPU, core and RAM rows), Vertex AI $1,330.
const GCP_TOTALS = { rows: 70, billed: 2_564_257_360_000, effective: 2_564_257_360_000 };
const SAMPLE_FILES = ['gcp-billing-export.jsonl', 'gcp-billing-export.csv'];

const ROW = {
  billing_account_id: '01A2B3-C4D5E6-F7A8B9',
  service: { id: '6F81-5844-456A', description: 'Compute Engine' },
  sku: { id: '6JAT-5RFN-BV7M', description: 'Nvidia Tesla A100 GPU running in Americas' },
  usage_start_time: '2026-10-01 00:00:00 UTC',
  usage_end_time: '2026-10-02 00:00:00 UTC',
  project: { id: 'acme-ml-prod' },
  cost: 70.413792,
  currency: 'USD',
};

describe('Google Cloud Billing export import', () => {
  it.each(SAMPLE_FILES)('%s imports the 70 rows with the README totals', async (name) => {
    const db = openStore(':memory:');
    const summary = await importSample(db, name);
    expect(summary).toMatchObject({
      status: 'imported',
      format: 'gcp-billing',
      rowsRead: 70,
      rowsImported: 70,
      issueCount: 0,
    });
    expect(totals(db)).toMatchObject(GCP_TOTALS);
    expect(db.prepare('SELECT DISTINCT provider, kind, account FROM cost_rows').all()).toEqual([
      { provider: 'gcp', kind: 'cost', account: 'acme-ml-prod' },
    ]);
  });

  it.each(SAMPLE_FILES)(
    '%s gives every row of the A100 VM its resource id, type and util label',
    async (name) => {
      const db = openStore(':memory:');
      await importSample(db, name);
      const vm = db
        .prepare(`SELECT DISTINCT resource_type, tags FROM cost_rows WHERE resource_id = ?`)
        .all(VM) as Array<{
        resource_type: string;
        tags: string;
      }>;
      expect(vm).toHaveLength(1);
      expect(vm[0]?.resource_type).toBe('a2');
      expect(JSON.parse(vm[0]?.tags ?? '{}')).toMatchObject({ 'gpu-util-avg-7d': '0.03' });
      // 3 SKUs x 14 days; the GPU rows bill 24 hours a day.
      expect(totals(db, `resource_id = '${VM}'`)).toMatchObject({ rows: 42, billed: 1_234_257_360_000 });
      expect(totals(db, "sku_id = '6JAT-5RFN-BV7M'")).toMatchObject({ rows: 14, quantity: 336 });
      expect(
        db.prepare("SELECT DISTINCT unit FROM cost_rows WHERE sku_id = '6JAT-5RFN-BV7M'").pluck().all(),
      ).toEqual(['Hours']);
    },
  );

  it.each(SAMPLE_FILES)('%s reads the Vertex AI Gemini token SKUs, spike included', async (name) => {
    const db = openStore(':memory:');
    await importSample(db, name);
    // 13 days of 40M in / 2M out, and 240M / 12M on 2026-10-09.
    expect(totals(db, "model = 'gemini-2.5-pro'")).toMatchObject({
      rows: 28,
      billed: 1_330_000_000_000,
      input: 760_000_000,
      output: 38_000_000,
    });
    const spike = Date.UTC(2026, 9, 9);
    expect(totals(db, `period_start = ${spike}`)).toMatchObject({ billed: 508_161_240_000 });
  });

  it('the CSV download stores exactly the rows of the JSON-lines export, and adds none after it', async () => {
    const fromJsonl = openStore(':memory:');
    await importSample(fromJsonl, 'gcp-billing-export.jsonl');
    const fromCsv = openStore(':memory:');
    await importSample(fromCsv, 'gcp-billing-export.csv');
    expect(storedRows(fromCsv)).toEqual(storedRows(fromJsonl));
    const again = await importSample(fromJsonl, 'gcp-billing-export.csv');
    expect(again).toMatchObject({ status: 'imported', rowsImported: 0, rowsDuplicate: 70 });
  });

  it('imports a JSON array of export rows', async () => {
    const rows = readFileSync(join(SAMPLES, 'gcp-billing-export.jsonl'), 'utf8').trim().split('\n');
    const file = join(dir, 'rows.json');
    writeFileSync(file, `[\n${rows.join(',\n')}\n]\n`);
    const db = openStore(':memory:');
    const summary = await importFile(file, { db, prices });
    expect(summary).toMatchObject({ status: 'imported', format: 'gcp-billing', rowsImported: 70 });
    expect(totals(db)).toMatchObject(GCP_TOTALS);
  });

  it('detects the export by its keys, not its file name', async () => {
    const file = join(dir, 'aws-cur2.csv');
    copyFileSync(join(SAMPLES, 'gcp-billing-export.jsonl'), file);
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    expect(summary).toMatchObject({ status: 'imported', format: 'gcp-billing', rowsImported: 70 });
    const probe: Probe = {
      container: 'csv',
      columns: ['billing_account_id', 'usage_start_time', 'cost'],
      first: undefined,
    };
    expect(gcpBilling.detect(probe)).toBe(true);
    expect(gcpBilling.detect({ ...probe, columns: ['usage_start_time', 'cost'] })).toBe(false);
  });

  it('reports a bad cost with its CSV line and imports the other rows', async () => {
    const lines = readFileSync(join(SAMPLES, 'gcp-billing-export.csv'), 'utf8').split('\n');
    lines[2] = (lines[2] ?? '').replace(',20,USD,', ',abc,USD,');
    const file = join(dir, 'gcp-bad.csv');
    writeFileSync(file, lines.join('\n'));
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    expect(summary).toMatchObject({ rowsRead: 70, rowsImported: 69, rowsSkipped: 1 });
    expect(summary.issues).toEqual([{ line: 3, message: 'cost is not an amount: "abc"' }]);
  });

  it('takes the machine type from the machine_spec system label, and credits into the effective cost', () => {
    const row = gcpBilling.toRows(
      {
        ...ROW,
        system_labels: [{ key: 'compute.googleapis.com/machine_spec', value: 'a2-highgpu-1g' }],
        credits: [{ name: 'Committed use discount', amount: -10.5, type: 'COMMITTED_USAGE_DISCOUNT' }],
        cost_at_list: 80.1,
      },
      { prices },
    );
    expect(row).toMatchObject({
      resourceType: 'a2-highgpu-1g',
      billedCostNanos: 70_413_792_000,
      effectiveCostNanos: 59_913_792_000,
      listCostNanos: 80_100_000_000,
      pricingCategory: 'on-demand',
      serviceCategory: 'Compute',
    });
  });

  it('reads the flattened CSV forms of labels, system labels and credits', () => {
    const row = gcpBilling.toRows(
      {
        billing_account_id: 'x',
        'service.description': 'Compute Engine',
        'sku.description': 'Spot Preemptible Nvidia L4 GPU running in Americas',
        usage_start_time: '2026-10-01 00:00:00 UTC',
        usage_end_time: '2026-10-01 01:00:00 UTC',
        cost: '1.25',
        labels: '[{"key":"team","value":"ml"}]',
        system_labels: '[{"key":"compute.googleapis.com/machine_spec","value":"g2-standard-8"}]',
        credits: '[{"amount":-0.25}]',
      },
      { prices },
    );
    expect(row).toMatchObject({
      resourceType: 'g2-standard-8',
      pricingCategory: 'spot',
      tags: { team: 'ml' },
      effectiveCostNanos: 1_000_000_000,
    });
  });

  it('rejects unreadable credits and costs with a RowError naming the field', () => {
    expect(() => gcpBilling.toRows({ ...ROW, credits: 'not json' }, { prices })).toThrow(
      /credits is not a JSON list/,
    );
    expect(() => gcpBilling.toRows({ ...ROW, credits: [{ amount: 'x' }] }, { prices })).toThrow(
      /credits.amount/,
    );
    expect(() => gcpBilling.toRows({ ...ROW, cost: undefined }, { prices })).toThrow(/cost is missing/);
  });
});
