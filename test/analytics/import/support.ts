import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { importFile } from '../../../analytics/import/importer.ts';
import { openStore } from '../../../analytics/store/db.ts';
import { loadPriceBook } from '../../../pricing/catalog.ts';

/** What the per-format import suites share: the samples, prices, a scratch folder and store readers. */
export const SAMPLES = join(import.meta.dirname, '../../../resources/samples');
export const prices = await loadPriceBook();

/** A folder for the whole test file (freshDir() is emptied after each test), removed at the end. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const importSample = (db: Database.Database, name: string) =>
  importFile(join(SAMPLES, name), { db, prices });

/** Every stored column but the file and line it came from: what must match between two exports of one bill. */
export function storedRows(db: Database.Database): unknown[] {
  const rows = db.prepare('SELECT * FROM cost_rows ORDER BY fingerprint').all() as Record<string, unknown>[];
  return rows.map(({ id: _id, file_id: _file, line: _line, ...rest }) => rest);
}

export type Totals = Record<string, number | null>;
/** The token columns of a totals() row for rows that carry no tokens (cost reports). */
export const NO_TOKENS = {
  list: null,
  input: null,
  cached: null,
  cacheWrite: null,
  output: null,
  requests: null,
};

/** Rows, money and token sums over cost_rows, for the LLM usage and cost formats. */
export function totals(db: Database.Database, where = '1 = 1', ...params: unknown[]): Totals {
  return db
    .prepare(
      `SELECT count(*) AS rows, sum(billed_nanos) AS billed, sum(list_nanos) AS list,
         sum(input_tokens) AS input, sum(cached_input_tokens) AS cached, sum(cache_write_tokens) AS cacheWrite,
         sum(output_tokens) AS output, sum(requests) AS requests
       FROM cost_rows WHERE ${where}`,
    )
    .get(...params) as Totals;
}

/** The CSV sample imported alone, and imported after its JSON twin into another store. */
export async function csvAfterJson(json: string, csv: string) {
  const fromCsv = openStore(':memory:');
  await importSample(fromCsv, csv);
  const db = openStore(':memory:');
  await importSample(db, json);
  const again = await importSample(db, csv);
  return { again, csvRows: storedRows(fromCsv), bothRows: storedRows(db) };
}
