import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openaiCostsCsv, openaiCostsJson } from '../../../analytics/import/formats/openai-costs.ts';
import { openaiUsageCsv, openaiUsageJson } from '../../../analytics/import/formats/openai-usage.ts';
import { importFile } from '../../../analytics/import/importer.ts';
import { RowError } from '../../../analytics/import/types.ts';
import { openStore } from '../../../analytics/store/db.ts';
import {
  csvAfterJson,
  importSample,
  NO_TOKENS,
  prices,
  SAMPLES,
  scratchDir,
  type Totals,
  totals,
} from './support.ts';

const context = { prices };
const dir = scratchDir('apex-openai-import-');

const USD = 1_000_000_000;
// Bucket of 2026-10-09, the planted spike (README: start_time 1791504000).
const SPIKE_DAY = 1_791_504_000 / 86_400;

const USAGE_TOTALS: Totals = {
  rows: 42,
  // Estimated at list prices; equals the Costs API total because the sample was built from those prices.
  billed: 643_761_100_000,
  list: 643_761_100_000,
  input: 262_269_860,
  cached: 26_633_400,
  cacheWrite: 0,
  output: 15_725_520,
  requests: 616_059,
};

const COSTS_TOTALS: Totals = { rows: 112, billed: 643_761_100_000, ...NO_TOKENS };

describe('OpenAI imports', () => {
  it.each([
    ['openai-usage-completions.json', 'openai-usage-json', USAGE_TOTALS],
    ['openai-usage-completions.csv', 'openai-usage-csv', USAGE_TOTALS],
    ['openai-costs.json', 'openai-costs-json', COSTS_TOTALS],
    ['openai-costs.csv', 'openai-costs-csv', COSTS_TOTALS],
  ])('imports %s with the README totals', async (name, format, expected) => {
    const db = openStore(':memory:');
    const summary = await importSample(db, name);
    const rows = expected['rows'];
    expect(summary).toMatchObject({ status: 'imported', format, rowsRead: rows, rowsImported: rows });
    expect(summary).toMatchObject({ rowsDuplicate: 0, rowsSkipped: 0, issues: [] });
    expect(totals(db)).toEqual(expected);
  });

  it.each([
    ['openai-usage-completions.json', 'openai-usage-completions.csv', 42],
    ['openai-costs.json', 'openai-costs.csv', 112],
  ])('after %s, its CSV twin adds no rows: every row maps the same', async (json, csv, count) => {
    const { again, csvRows, bothRows } = await csvAfterJson(json, csv);
    expect(again).toMatchObject({
      status: 'imported',
      rowsRead: count,
      rowsImported: 0,
      rowsDuplicate: count,
    });
    expect(csvRows).toEqual(bothRows);
  });

  it('maps a usage result to a usage row', async () => {
    const db = openStore(':memory:');
    await importSample(db, 'openai-usage-completions.json');
    const row = db.prepare('SELECT * FROM cost_rows ORDER BY period_start, line LIMIT 1').get();
    expect(row).toMatchObject({
      line: 9,
      kind: 'usage',
      provider: 'openai',
      service_name: 'OpenAI API',
      batch: 0,
    });
    expect(row).toMatchObject({ service_category: 'AI and Machine Learning', tags: null, currency: 'USD' });
    expect(row).toMatchObject({ period_start: Date.UTC(2026, 9, 1), period_end: Date.UTC(2026, 9, 2) });
    expect(row).toMatchObject({
      model: 'gpt-4o-2024-08-06',
      sku_id: 'gpt-4o-2024-08-06',
      project: 'proj_support01',
    });
    expect(row).toMatchObject({ api_key: 'key_support_bot' });
  });

  it('prices the planted waste from the catalog', async () => {
    // $134.34245 for key_support_bot holds only at gpt-4o's 2.50 / 1.25 / 10.00 per 1M tokens
    // (the catalog's prices are nano-dollars per 1M).
    expect(prices.lookup('openai', 'gpt-4o-2024-08-06')?.price).toMatchObject({
      input: 2.5 * USD,
      cachedInput: 1.25 * USD,
      output: 10 * USD,
    });
    const db = openStore(':memory:');
    await importSample(db, 'openai-usage-completions.json');
    const byKey = (key: string) => totals(db, 'api_key = ?', key);
    expect(byKey('key_support_bot')).toMatchObject({ billed: 134_342_450_000, input: 33_156_860, cached: 0 });
    expect(byKey('key_support_bot')).toMatchObject({ output: 5_145_030, requests: 571_670 });
    expect(byKey('key_rag_prod')).toMatchObject({
      billed: 500_745_650_000,
      input: 185_748_000,
      cached: 9_287_400,
    });
    expect(byKey('key_internal_tools')['billed']).toBe(8_673_000_000);
  });

  it('skips the one bad record of the with-errors copy and imports the rest', async () => {
    const db = openStore(':memory:');
    const summary = await importSample(db, 'openai-usage-completions-with-errors.json');
    expect(summary).toMatchObject({ rowsRead: 42, rowsImported: 41, rowsSkipped: 1, issueCount: 1 });
    // The bad value is on line 172; issues point at the line where its record opens.
    expect(summary.issues).toEqual([{ line: 170, message: 'input_tokens is not a whole number: "12O00"' }]);
    // Clean totals minus data[3].results[1]: 10,068,000 in, 503,400 cached, 260,090 out, 839 requests.
    const expected = {
      rows: 41,
      input: 252_201_860,
      cached: 26_130_000,
      output: 15_465_430,
      requests: 615_220,
    };
    expect(totals(db)).toMatchObject(expected);
  });

  it('reads a bare array of buckets with the right record lines', async () => {
    const page = JSON.parse(readFileSync(join(SAMPLES, 'openai-usage-completions-with-errors.json'), 'utf8'));
    const text = JSON.stringify(page.data, null, 2);
    const file = join(dir, 'buckets.json');
    writeFileSync(file, text);
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    const badLine = text.split('\n').findIndex((line) => line.includes('"12O00"')) + 1;
    expect(summary).toMatchObject({ format: 'openai-usage-json', rowsImported: 41, rowsSkipped: 1 });
    expect(summary.issues[0]?.line).toBe(badLine - 2);
  });

  it('maps a cost result: the spike on 2026-10-09, model from the line item', async () => {
    const db = openStore(':memory:');
    await importSample(db, 'openai-costs.json');
    const spike = db.prepare('SELECT sum(billed_nanos) FROM cost_daily WHERE day = ?').pluck().get(SPIKE_DAY);
    expect(spike).toBe(165_529_600_000);
    const cached = db.prepare("SELECT * FROM cost_rows WHERE sku_id LIKE '%cached input'").get();
    expect(cached).toMatchObject({ kind: 'cost', provider: 'openai', service_name: 'OpenAI API' });
    expect(cached).toMatchObject({ account: null, currency: 'USD' });
    expect(cached).toMatchObject({ model: 'gpt-4o-2024-08-06', project: 'proj_rag01' });
    expect(cached).toMatchObject({ charge_description: 'gpt-4o-2024-08-06, cached input' });
    expect(cached).toMatchObject({ sku_id: 'gpt-4o-2024-08-06, cached input' });
  });
});

describe('OpenAI detection', () => {
  it.each([
    ['openai-usage-completions.json', 'openai-usage-json'],
    ['openai-usage-completions.csv', 'openai-usage-csv'],
    ['openai-costs.json', 'openai-costs-json'],
    ['openai-costs.csv', 'openai-costs-csv'],
  ])('%s is recognized by its content under a misleading name', async (name, format) => {
    const file = join(dir, `x-${format}.txt`);
    copyFileSync(join(SAMPLES, name), file);
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    expect(summary).toMatchObject({ status: 'imported', format, rowsSkipped: 0 });
  });

  it('leaves other usage endpoints and other providers alone', () => {
    const page = (result: Record<string, unknown>) => ({
      object: 'page',
      data: [{ object: 'bucket', start_time: 1, end_time: 2, results: [result] }],
    });
    const embeddings = page({ object: 'organization.usage.embeddings.result', input_tokens: 5 });
    expect(openaiUsageJson.detect({ container: 'json', columns: [], first: embeddings })).toBe(false);
    const keysOnly = page({ input_tokens: 5, output_tokens: 1, num_model_requests: 1 });
    expect(openaiUsageJson.detect({ container: 'json', columns: [], first: keysOnly })).toBe(true);
    const costsByShape = page({ amount: { value: 1, currency: 'usd' }, line_item: null });
    expect(openaiCostsJson.detect({ container: 'json', columns: [], first: costsByShape })).toBe(true);
    const anthropic = { data: [{ starting_at: 'x', results: [{ uncached_input_tokens: 1 }] }] };
    expect(openaiUsageJson.detect({ container: 'json', columns: [], first: anthropic })).toBe(false);
    const columns = ['start_time', 'amount', 'line_item'];
    expect(openaiCostsCsv.detect({ container: 'csv', columns, first: undefined })).toBe(false);
  });
});

describe('OpenAI record mapping', () => {
  const base = {
    start_time: 1_790_812_800,
    end_time: 1_790_899_200,
    input_tokens: 1_000_000,
    input_cached_tokens: 200_000,
    output_tokens: 100_000,
    num_model_requests: 10,
    model: 'gpt-4o-2024-08-06',
    project_id: 'proj',
    api_key_id: 'key',
  };
  // gpt-4o: 800,000 x $2.50 + 200,000 x $1.25 + 100,000 x $10 per 1M = $3.25
  const standard = 3_250_000_000;

  it('halves batch traffic and keeps the standard price as list cost', () => {
    const row = openaiUsageJson.toRows({ ...base, batch: true, user_id: 'user_7' }, context);
    expect(row).toMatchObject({
      batch: true,
      billedCostNanos: standard / 2,
      effectiveCostNanos: standard / 2,
    });
    expect(row).toMatchObject({ listCostNanos: standard, tags: { user_id: 'user_7' }, cacheWriteTokens: 0 });
    expect(openaiUsageCsv.toRows({ ...base, batch: 'false' }, context)).toMatchObject({ batch: false });
    const plain = openaiUsageJson.toRows({ ...base, batch: null }, context);
    expect(plain).toMatchObject({ batch: null, tags: null });
    expect(openaiUsageJson.toRows({ ...base, model: null }, context)).toMatchObject({ billedCostNanos: 0 });
  });

  it('reads CSV text and ISO-only bucket times', () => {
    const csv = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, String(v)]));
    const { start_time: _s, end_time: _e, ...noEpoch } = csv;
    const row = openaiUsageCsv.toRows(
      { ...noEpoch, start_time_iso: '2026-10-01T00:00:00Z', end_time_iso: '2026-10-02T00:00:00Z' },
      context,
    );
    expect(row).toMatchObject({ chargePeriodStart: Date.UTC(2026, 9, 1), billedCostNanos: standard });
  });

  it('maps a cost line item and its currency', () => {
    const values = { ...base, amount: { value: '1.5', currency: 'eur' }, line_item: 'Image models' };
    expect(openaiCostsJson.toRows({ ...values, organization_id: 'org_1' }, context)).toMatchObject({
      billedCostNanos: 1_500_000_000,
      billingCurrency: 'EUR',
      model: 'Image models',
      account: 'org_1',
    });
  });

  it.each([
    [openaiUsageJson, { ...base, num_model_requests: undefined }, 'num_model_requests is missing'],
    [openaiUsageJson, { ...base, output_tokens: -1 }, 'output_tokens is not a whole number: "-1"'],
    [openaiUsageCsv, { ...base, batch: 'maybe' }, 'batch is not true or false: "maybe"'],
    [openaiUsageJson, { ...base, end_time: 5 }, 'end_time is before start_time'],
    [openaiUsageJson, { ...base, start_time: 'soon' }, 'start_time is not a date: "soon"'],
    [openaiCostsJson, { ...base, amount: { value: 'lots' } }, 'amount.value is not an amount: "lots"'],
    [openaiCostsCsv, { ...base }, 'amount.value is missing'],
  ])('refuses a malformed record with a RowError (%#)', (format, values, message) => {
    expect(() => format.toRows(values, context)).toThrow(new RowError(message));
  });

  it('throws nothing but RowError for garbage, and detects none of it', () => {
    const garbage: unknown[] = [null, 0, 'x', [], {}, { data: 5 }, { data: [1] }, [[{}]]];
    garbage.push({ data: [{ results: 3 }] });
    garbage.push({ data: [{ start_time: 1, results: [null, 7, { amount: 1, object: 5 }] }] });
    for (const format of [openaiUsageJson, openaiUsageCsv, openaiCostsJson, openaiCostsCsv]) {
      for (const value of garbage) {
        expect(format.detect({ container: 'json', columns: [], first: value })).toBe(false);
        const records = [...(format.records?.(value).records ?? [])];
        for (const record of [...records, { start_time: value, amount: value, input_tokens: value }]) {
          try {
            format.toRows(record, context);
          } catch (err) {
            expect(err).toBeInstanceOf(RowError);
          }
        }
      }
    }
  });
});
