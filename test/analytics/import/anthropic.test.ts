import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anthropicCostCsv, anthropicCostJson } from '../../../analytics/import/formats/anthropic-cost.ts';
import { anthropicUsageCsv, anthropicUsageJson } from '../../../analytics/import/formats/anthropic-usage.ts';
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
const dir = scratchDir('apex-anthropic-import-');

// 2026-10-09, the planted spike, as a cost_daily day number.
const SPIKE_DAY = Date.UTC(2026, 9, 9) / 86_400_000;

const USAGE_TOTALS: Totals = {
  rows: 42,
  // Opus $83.265 + Sonnet $1,160.235 (web search $7.20 included) + Haiku $134.40, at catalog list prices.
  billed: 1_377_900_000_000,
  list: 1_377_900_000_000,
  // uncached 411,031,000 + cache read 16,200,000 + 5-minute writes 8,100,000: the whole prompt.
  input: 435_331_000,
  cached: 16_200_000,
  cacheWrite: 8_100_000,
  output: 27_024_000,
  requests: null,
};

// 137,790 cents.
const COST_TOTALS: Totals = { rows: 126, billed: 1_377_900_000_000, ...NO_TOKENS };

describe('Anthropic imports', () => {
  it.each([
    ['anthropic-usage-messages.json', 'anthropic-usage-json', USAGE_TOTALS],
    ['anthropic-usage-messages.csv', 'anthropic-usage-csv', USAGE_TOTALS],
    ['anthropic-cost-report.json', 'anthropic-cost-json', COST_TOTALS],
    ['anthropic-cost-report.csv', 'anthropic-cost-csv', COST_TOTALS],
  ])('imports %s with the README totals', async (name, format, expected) => {
    const db = openStore(':memory:');
    const summary = await importSample(db, name);
    const rows = expected['rows'];
    expect(summary).toMatchObject({ status: 'imported', format, rowsRead: rows, rowsImported: rows });
    expect(summary).toMatchObject({ rowsDuplicate: 0, rowsSkipped: 0, issues: [] });
    expect(totals(db)).toEqual(expected);
  });

  it.each([
    ['anthropic-usage-messages.json', 'anthropic-usage-messages.csv', 42],
    ['anthropic-cost-report.json', 'anthropic-cost-report.csv', 126],
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
    await importSample(db, 'anthropic-usage-messages.json');
    const row = db.prepare('SELECT * FROM cost_rows ORDER BY period_start, line LIMIT 1').get();
    expect(row).toMatchObject({ line: 7, kind: 'usage', provider: 'anthropic', service_name: 'Claude API' });
    expect(row).toMatchObject({ service_category: 'AI and Machine Learning', batch: 0, requests: null });
    expect(row).toMatchObject({ period_start: Date.UTC(2026, 9, 1), period_end: Date.UTC(2026, 9, 2) });
    expect(row).toMatchObject({ model: 'claude-opus-4-20250514', sku_id: 'claude-opus-4-20250514' });
    expect(row).toMatchObject({ project: 'wrkspc_01Support', api_key: 'apikey_01SupportTriage' });
  });

  it('prices each planted workload as the README works it out', async () => {
    const db = openStore(':memory:');
    await importSample(db, 'anthropic-usage-messages.json');
    const byModel = (model: string) => totals(db, 'model = ?', model)['billed'];
    expect(byModel('claude-opus-4-20250514')).toBe(83_265_000_000);
    expect(byModel('claude-sonnet-4-20250514')).toBe(1_160_235_000_000);
    expect(byModel('claude-3-5-haiku-20241022')).toBe(134_400_000_000);
    expect(totals(db, 'project = ?', 'wrkspc_01NightlyEtl')).toMatchObject({
      input: 84_000_000,
      output: 16_800_000,
    });
  });

  it('reads nested usage columns flattened with dots as well', async () => {
    const text = readFileSync(join(SAMPLES, 'anthropic-usage-messages.csv'), 'utf8')
      .replace('cache_creation_ephemeral_5m', 'cache_creation.ephemeral_5m')
      .replace('cache_creation_ephemeral_1h', 'cache_creation.ephemeral_1h')
      .replace('web_search_requests', 'server_tool_use.web_search_requests');
    const file = join(dir, 'dotted.csv');
    writeFileSync(file, text);
    const db = openStore(':memory:');
    expect(await importFile(file, { db, prices })).toMatchObject({
      format: 'anthropic-usage-csv',
      rowsImported: 42,
    });
    expect(totals(db)).toEqual(USAGE_TOTALS);
  });

  it('maps the cost report: the spike on 2026-10-09, web search and cache-write lines', async () => {
    const db = openStore(':memory:');
    await importSample(db, 'anthropic-cost-report.json');
    const spike = db.prepare('SELECT sum(billed_nanos) FROM cost_daily WHERE day = ?').pluck().get(SPIKE_DAY);
    expect(spike).toBe(337_857_500_000);
    const search = db.prepare("SELECT * FROM cost_rows WHERE sku_id = 'web_search' ORDER BY line").get();
    expect(search).toMatchObject({ kind: 'cost', provider: 'anthropic', service_name: 'Claude API' });
    expect(search).toMatchObject({ model: null });
    expect(search).toMatchObject({ charge_description: 'Web Search Usage', billed_nanos: 400_000_000 });
    expect(search).toMatchObject({ project: 'wrkspc_01Agents', batch: null, currency: 'USD' });
    // 8,100,000 five-minute cache writes at Sonnet 4's $3.75 per 1M.
    const cacheWrites = totals(db, 'sku_id = ?', 'cache_creation.ephemeral_5m_input_tokens');
    expect(cacheWrites).toMatchObject({ rows: 14, billed: 30_375_000_000 });
  });
});

describe('Anthropic detection', () => {
  it.each([
    ['anthropic-usage-messages.json', 'anthropic-usage-json'],
    ['anthropic-usage-messages.csv', 'anthropic-usage-csv'],
    ['anthropic-cost-report.json', 'anthropic-cost-json'],
    ['anthropic-cost-report.csv', 'anthropic-cost-csv'],
  ])('%s is recognized by its content under a misleading name', async (name, format) => {
    const file = join(dir, `x-${format}.txt`);
    copyFileSync(join(SAMPLES, name), file);
    const summary = await importFile(file, { db: openStore(':memory:'), prices });
    expect(summary).toMatchObject({ status: 'imported', format, rowsSkipped: 0 });
  });

  it('tells usage from cost and from OpenAI pages', () => {
    const page = (result: Record<string, unknown>, key = 'starting_at') => ({
      data: [{ [key]: 'x', results: [result] }],
    });
    const usage = page({ uncached_input_tokens: 1, output_tokens: 1 });
    const cost = page({ amount: '1', currency: 'USD', cost_type: 'tokens' });
    const probe = (first: unknown) => ({ container: 'json' as const, columns: [], first });
    const detected = (first: unknown) =>
      [anthropicUsageJson, anthropicCostJson].map((f) => f.detect(probe(first)));
    expect(detected(usage)).toEqual([true, false]);
    expect(detected(cost)).toEqual([false, true]);
    expect(detected(page({ uncached_input_tokens: 1, output_tokens: 1 }, 'start_time'))).toEqual([
      false,
      false,
    ]);
    const columns = ['starting_at', 'ending_at', 'amount', 'currency', 'description'];
    expect(anthropicCostCsv.detect({ container: 'csv', columns, first: undefined })).toBe(true);
    expect(anthropicUsageCsv.detect({ container: 'csv', columns, first: undefined })).toBe(false);
  });
});

describe('Anthropic record mapping', () => {
  const period = { starting_at: '2026-10-01T00:00:00Z', ending_at: '2026-10-02T00:00:00Z' };
  const usage = {
    ...period,
    model: 'claude-sonnet-4-20250514',
    uncached_input_tokens: 1_000_000,
    cache_read_input_tokens: 1_000_000,
    cache_creation: { ephemeral_5m_input_tokens: 1_000_000, ephemeral_1h_input_tokens: 1_000_000 },
    output_tokens: 1_000_000,
    server_tool_use: { web_search_requests: 100 },
  };
  // Sonnet 4 per 1M: $3 in + $0.30 read + $3.75 5m + $6 1h + $15 out = $28.05; 100 searches = $1.
  const tokens = 28_050_000_000;
  const searches = 1_000_000_000;

  it('halves the batch tier, keeps web search at full price, and defaults the workspace', () => {
    const row = anthropicUsageJson.toRows({ ...usage, service_tier: 'batch', workspace_id: null }, context);
    expect(row).toMatchObject({ batch: true, project: 'default', inputTokens: 4_000_000 });
    expect(row).toMatchObject({ cachedInputTokens: 1_000_000 });
    expect(row).toMatchObject({ cacheWriteTokens: 2_000_000, billedCostNanos: tokens / 2 + searches });
    expect(row).toMatchObject({
      listCostNanos: tokens + searches,
      effectiveCostNanos: tokens / 2 + searches,
    });
    expect(anthropicUsageJson.toRows({ ...usage, service_tier: 'standard' }, context)).toMatchObject({
      batch: false,
      billedCostNanos: tokens + searches,
    });
  });

  it.each([
    ['123.45', 1_234_500_000],
    ['315', 3_150_000_000],
    [0.5, 5_000_000],
    ['1.5e2', 1_500_000_000],
    ['-40', -400_000_000],
    ['0.0000001', 1],
  ])('reads the amount %j cents exactly', (amount, nanos) => {
    const values = { ...period, amount, currency: 'usd', service_tier: 'batch' };
    const row = anthropicCostCsv.toRows(values, context);
    expect(row).toMatchObject({ billedCostNanos: nanos, billingCurrency: 'USD', batch: true });
    expect(row).toMatchObject({ project: 'default' });
  });

  it.each([
    [anthropicCostJson, { ...period }, 'amount is missing'],
    [anthropicCostJson, { ...period, amount: '12,50' }, 'amount is not an amount in cents: "12,50"'],
    [anthropicCostJson, { ...period, amount: '1e99999' }, 'amount is not an amount in cents: "1e99999"'],
    [anthropicCostJson, { ...period, amount: {} }, 'amount is not an amount in cents: an object'],
    [anthropicCostJson, { amount: '1' }, 'starting_at is missing'],
    [anthropicUsageJson, { ...usage, output_tokens: null }, 'output_tokens is missing'],
    [
      anthropicUsageJson,
      { ...usage, uncached_input_tokens: 1.5 },
      'uncached_input_tokens is not a whole number: "1.5"',
    ],
    [
      anthropicUsageCsv,
      { ...usage, cache_creation: undefined, cache_creation_ephemeral_5m_input_tokens: 'x' },
      'cache_creation.ephemeral_5m_input_tokens is not a whole number: "x"',
    ],
    [
      anthropicUsageJson,
      { ...usage, server_tool_use: { web_search_requests: 2 ** 52 } },
      'web search cost is too large',
    ],
  ])('refuses a malformed record with a RowError (%#)', (format, values, message) => {
    expect(() => format.toRows(values, context)).toThrow(new RowError(message));
  });

  it('throws nothing but RowError for garbage, and detects none of it', () => {
    const garbage: unknown[] = [null, 0, 'x', [], {}, { data: 5 }, { data: [1] }, [[{}]]];
    garbage.push({ data: [{ results: 3 }] });
    garbage.push({ data: [{ starting_at: 1, results: [null, 7, { amount: 1, cache_creation: 5 }] }] });
    for (const format of [anthropicUsageJson, anthropicUsageCsv, anthropicCostJson, anthropicCostCsv]) {
      for (const value of garbage) {
        expect(format.detect({ container: 'json', columns: [], first: value })).toBe(false);
        const records = [...(format.records?.(value).records ?? [])];
        for (const record of [...records, { starting_at: value, amount: value, cache_creation: value }]) {
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
