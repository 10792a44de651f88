import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { importFile } from '../../../analytics/import/importer.ts';
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
