import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../../analytics/import/formats/index.ts';
import { importFile } from '../../../analytics/import/importer.ts';
import { RowError, type Probe } from '../../../analytics/import/types.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { loadPriceBook } from '../../../pricing/catalog.ts';
import { freshDir } from '../helpers.ts';

const prices = await loadPriceBook();
// Field names the formats read, so garbage reaches their deeper checks instead of failing on the first.
const KNOWN_KEYS = [
  'line_item_usage_start_date',
  'line_item_usage_end_date',
  'line_item_unblended_cost',
  'line_item_usage_amount',
  'line_item_product_code',
  'pricing_unit',
  'resource_tags',
  'BilledCost',
  'ChargePeriodStart',
  'ChargePeriodEnd',
  'EffectiveCost',
  'ProviderName',
  'Tags',
  'ConsumedQuantity',
  'cost',
  'usage_start_time',
  'usage_end_time',
  'Date',
  'CostInBillingCurrency',
  'Quantity',
  'input_tokens',
  'output_tokens',
  'num_model_requests',
  'start_time',
  'end_time',
  'model',
  'amount',
  'starting_at',
  'ending_at',
  'uncached_input_tokens',
  'cache_creation',
  'id',
  'ts',
  'provider',
  'modelRequested',
  'costNanos',
  'inputTokens',
  'outputTokens',
  'prompt',
  'labels',
  'service',
  'sku',
];
const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
);
const record = fc.dictionary(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string()), anyValue, {
  maxKeys: 12,
});

describe('arbitrary garbage never crashes an importer', () => {
  it('detect() answers true or false for any probe', () => {
    const probe = fc.record({
      container: fc.constantFrom('csv', 'json', 'jsonl', 'parquet'),
      columns: fc.array(fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string()), { maxLength: 10 }),
      first: fc.anything(),
    });
    fc.assert(
      fc.property(probe, (p) => {
        for (const format of FORMATS) expect(typeof format.detect(p as Probe)).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('toRows() returns rows or throws RowError for any record, and records() never throws', () => {
    fc.assert(
      fc.property(record, fc.anything(), (values, document) => {
        for (const format of FORMATS) {
          try {
            format.toRows(values, { prices });
          } catch (err) {
            expect(err, `${format.id}: ${String(err)}`).toBeInstanceOf(RowError);
          }
          if (format.records) {
            try {
              const { depth, records } = format.records(document);
              expect(depth).toBeGreaterThan(0);
              for (const values of records) expect(typeof values).toBe('object');
            } catch (err) {
              expect(err, `${format.id} records(): ${String(err)}`).toBeInstanceOf(RowError);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('importFile() settles with a summary for any file content', async () => {
    const dir = freshDir();
    const db = openStore(join(dir, 'apex.db'));
    const header =
      'line_item_usage_start_date,line_item_usage_end_date,line_item_unblended_cost,resource_tags\n';
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ unit: 'binary', maxLength: 400 }).map((text) => Buffer.from(header + text)),
      fc.json().map((json) => Buffer.from(json)),
      fc.array(fc.json(), { maxLength: 5 }).map((lines) => Buffer.from(lines.join('\n'))),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(content, async (bytes) => {
        const file = join(dir, `garbage-${n++}`);
        writeFileSync(file, bytes);
        const summary = await importFile(file, { db, prices });
        expect(['imported', 'already-imported', 'failed']).toContain(summary.status);
        expect(summary.rowsRead).toBe(
          summary.rowsImported + summary.rowsDuplicate + summary.rowsSkipped - extraRows(summary),
        );
      }),
      { numRuns: 150 },
    );
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});

// A record may yield several rows, so imported + duplicate can exceed the records read; skipped never does.
function extraRows(s: {
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsSkipped: number;
}): number {
  return Math.max(0, s.rowsImported + s.rowsDuplicate + s.rowsSkipped - s.rowsRead);
}
