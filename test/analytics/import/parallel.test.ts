import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../analytics/import/importer.ts';
import { importFileParallel } from '../../../analytics/import/parallel-import.ts';
import { packRecords, unpackRecords } from '../../../analytics/import/row-codec.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { loadPriceBook } from '../../../pricing/catalog.ts';
import { freshDir } from '../helpers.ts';

const sample = (name: string): string =>
  fileURLToPath(new URL(`../../../resources/samples/${name}`, import.meta.url));
const prices = await loadPriceBook();

function storeContents(db: ReturnType<typeof openStore>) {
  return {
    rows: db
      .prepare(
        'SELECT line, fingerprint, kind, provider, model, resource_id, tags, billed_nanos, input_tokens FROM cost_rows ORDER BY id',
      )
      .all(),
    daily: db.prepare('SELECT * FROM cost_daily ORDER BY day, provider, resource_id, model, api_key').all(),
    tags: db.prepare('SELECT * FROM resource_tags ORDER BY provider, resource_id').all(),
  };
}

describe('importing with parsing on a second thread', () => {
  it('stores exactly what the one-thread importer stores, for every container', async () => {
    for (const name of [
      'aws-cur2-with-errors.csv',
      'openai-usage-completions-with-errors.json',
      'focus-1.2-aws.parquet',
      'gcp-billing-export.jsonl',
      'aws-cur2.csv.gz',
    ]) {
      const one = openStore(':memory:');
      const two = openStore(':memory:');
      const serial = await importFile(sample(name), { db: one, prices });
      const parallel = await importFileParallel(sample(name), { db: two, prices });
      expect({ ...parallel, elapsedMs: 0 }, name).toEqual({ ...serial, elapsedMs: 0 });
      expect(storeContents(two), name).toEqual(storeContents(one));
    }
  });

  it('reports progress, repeats and failures the same way', async () => {
    const db = openStore(':memory:');
    const seen: number[] = [];
    const first = await importFileParallel(sample('aws-cur2.csv'), {
      db,
      prices,
      onProgress: (p) => seen.push(p.rowsRead),
    });
    expect(first).toMatchObject({ status: 'imported', rowsImported: 98 });
    expect(seen.at(-1)).toBe(98);
    const copy = join(freshDir(), 'copy.csv');
    copyFileSync(sample('aws-cur2.csv'), copy);
    expect(await importFileParallel(copy, { db, prices })).toMatchObject({ status: 'already-imported' });
    const parquetTwice = await importFileParallel(sample('aws-cur2.parquet'), { db, prices });
    expect(parquetTwice).toMatchObject({ status: 'imported', rowsImported: 0, rowsDuplicate: 98 });
    expect(await importFileParallel(sample('aws-cur2.parquet'), { db, prices })).toMatchObject({
      status: 'already-imported',
    });

    const junk = join(freshDir(), 'junk.csv');
    writeFileSync(junk, 'a,b\n1,2\n');
    const failed = await importFileParallel(junk, { db, prices });
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/not a recognized export/);
    expect(db.inTransaction).toBe(false);
  });

  it('packs rows for the trip between threads without losing a field', () => {
    const rows = JSON.parse(readFileSync(sample('apex-request-log.jsonl'), 'utf8').split('\n')[0] ?? '{}');
    const record = {
      line: 7,
      rows: [
        {
          kind: 'usage',
          chargePeriodStart: 1,
          chargePeriodEnd: 2,
          provider: 'openai',
          serviceName: 's',
          serviceCategory: null,
          account: null,
          region: null,
          resourceId: 'r',
          resourceType: null,
          skuId: rows.id,
          chargeDescription: null,
          pricingCategory: null,
          billedCostNanos: 5,
          effectiveCostNanos: 5,
          listCostNanos: null,
          consumedQuantity: 1.5,
          consumedUnit: 'Hours',
          billingCurrency: 'USD',
          tags: Object.freeze({ a: '1' }),
          model: 'm',
          project: 'p',
          apiKey: 'k',
          inputTokens: 1,
          cachedInputTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: 2,
          requests: 1,
          batch: false,
          prompt: rows.prompt,
        },
      ],
      fingerprints: ['fp'],
    } as const;
    const [back, bad] = unpackRecords(packRecords([record as never, { line: 9, error: 'bad' }]));
    expect(back).toEqual(record);
    expect(bad).toEqual({ line: 9, error: 'bad' });
  });
});
