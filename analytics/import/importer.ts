import type Database from 'better-sqlite3';
import { basename } from 'node:path';
import type { CostRow } from '../../contracts/cost.ts';
import type { PriceBook } from '../../pricing/types.ts';
import { CostRowWriter } from '../store/cost-rows.ts';
import { openImportFile, type OpenedFile } from './open-file.ts';
import type { ImportFormat, MapContext, SourceRecord } from './types.ts';

/** Issues kept per file; the count says how many there were in all. */
const MAX_ISSUES = 200;

export interface ImportIssue {
  line: number;
  message: string;
}

export interface FileImportSummary {
  path: string;
  format: string | null;
  formatLabel: string | null;
  status: 'imported' | 'already-imported' | 'failed';
  /** Records read from the file, good and bad. */
  rowsRead: number;
  rowsImported: number;
  /** Rows already in the store from another file (the same charge in a CUR and a FOCUS export). */
  rowsDuplicate: number;
  rowsSkipped: number;
  issues: ImportIssue[];
  issueCount: number;
  /** Why the whole file failed, or which earlier import it repeats. */
  message: string | null;
  elapsedMs: number;
}

export interface ImportProgress {
  path: string;
  bytesRead: number;
  bytesTotal: number;
  rowsRead: number;
}

export interface ImportOptions {
  db: Database.Database;
  prices: PriceBook;
  onProgress?: (progress: ImportProgress) => void;
  /** Test hook: runs after each batch inside the transaction (the crash test kills the process here). */
  afterBatch?: (rowsRead: number) => void;
}

export async function importFiles(
  paths: readonly string[],
  options: ImportOptions,
): Promise<FileImportSummary[]> {
  const summaries: FileImportSummary[] = [];
  for (const path of paths) summaries.push(await importFile(path, options));
  return summaries;
}

/** Imports one file in one transaction: all of its good rows, or (on a crash or error) nothing. */
export async function importFile(path: string, options: ImportOptions): Promise<FileImportSummary> {
  const started = performance.now();
  const summary = emptySummary(path);
  const done = (): FileImportSummary => ({ ...summary, elapsedMs: Math.round(performance.now() - started) });
  let opened: OpenedFile;
  try {
    opened = await openImportFile(path);
  } catch (err) {
    return fail(summary, err, started);
  }
  summary.format = opened.format.id;
  summary.formatLabel = opened.format.label;
  const earlier = opened.digest ? findImport(options.db, opened.digest) : null;
  if (earlier) return { ...repeat(summary, earlier), elapsedMs: Math.round(performance.now() - started) };
  try {
    await importInTransaction(opened, options, summary);
  } catch (err) {
    return fail(summary, err, started);
  }
  return done();
}

async function importInTransaction(opened: OpenedFile, options: ImportOptions, summary: FileImportSummary) {
  const { db } = options;
  useImportCache(db);
  db.exec('BEGIN IMMEDIATE');
  try {
    const fileId = insertFileRecord(db, opened);
    const writer = new CostRowWriter(db, fileId);
    const context: MapContext = { prices: options.prices };
    let bytesRead = 0;
    const digest = await opened.read(
      (batch) => {
        storeBatch(batch, opened.format, context, writer, summary);
        options.onProgress?.({
          path: summary.path,
          bytesRead,
          bytesTotal: opened.head.size,
          rowsRead: summary.rowsRead,
        });
        options.afterBatch?.(summary.rowsRead);
      },
      (n) => (bytesRead = n),
    );
    // A streamed file learns its digest only now; whole-file digests were checked before reading.
    const earlier = opened.digest === null ? findImport(db, digest) : null;
    if (earlier) {
      db.exec('ROLLBACK');
      Object.assign(summary, repeat(emptySummary(summary.path, summary), earlier));
      return;
    }
    writer.finish();
    finishFileRecord(db, fileId, digest, summary);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

function storeBatch(
  batch: SourceRecord[],
  format: ImportFormat,
  context: MapContext,
  writer: CostRowWriter,
  summary: FileImportSummary,
): void {
  for (const record of batch) {
    summary.rowsRead++;
    if (record.error) {
      skip(summary, record.line, record.error);
      continue;
    }
    let rows: CostRow | readonly CostRow[];
    try {
      rows = format.toRows(record.values, context);
    } catch (err) {
      skip(summary, record.line, err instanceof Error ? err.message : String(err));
      continue;
    }
    for (const row of Array.isArray(rows) ? rows : [rows as CostRow]) {
      if (writer.add(row, record.line) === 'imported') summary.rowsImported++;
      else summary.rowsDuplicate++;
    }
  }
}

// Row keys are hashes, so inserts land all over the unique index; SQLite's default 2 MB page cache
// would then re-read index pages from disk for every row of a large file.
const IMPORT_CACHE_KIB = 512 * 1024;

function useImportCache(db: Database.Database): void {
  const current = Number(db.pragma('cache_size', { simple: true }));
  if (current > -IMPORT_CACHE_KIB) db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
}

function skip(summary: FileImportSummary, line: number, message: string): void {
  summary.rowsSkipped++;
  summary.issueCount++;
  if (summary.issues.length < MAX_ISSUES) summary.issues.push({ line, message });
}

function insertFileRecord(db: Database.Database, opened: OpenedFile): number {
  const result = db
    .prepare(
      `INSERT INTO import_files (content_sha256, path, format, imported_at, rows_read, rows_imported,
         rows_duplicate, rows_skipped, issues_json) VALUES (?, ?, ?, ?, 0, 0, 0, 0, '[]')`,
    )
    // The real digest of a streamed file is known only at the end; a unique placeholder holds its place.
    .run(
      opened.digest ?? `pending:${process.pid}:${Date.now()}:${Math.random()}`,
      opened.head.path,
      opened.format.id,
      Date.now(),
    );
  return Number(result.lastInsertRowid);
}

function finishFileRecord(db: Database.Database, fileId: number, digest: string, s: FileImportSummary): void {
  db.prepare(
    `UPDATE import_files SET content_sha256 = ?, rows_read = ?, rows_imported = ?, rows_duplicate = ?,
       rows_skipped = ?, issues_json = ? WHERE id = ?`,
  ).run(digest, s.rowsRead, s.rowsImported, s.rowsDuplicate, s.rowsSkipped, JSON.stringify(s.issues), fileId);
}

interface EarlierImport {
  path: string;
  imported_at: number;
}

function findImport(db: Database.Database, digest: string): EarlierImport | null {
  const row = db.prepare('SELECT path, imported_at FROM import_files WHERE content_sha256 = ?').get(digest);
  return (row as EarlierImport | undefined) ?? null;
}

function repeat(summary: FileImportSummary, earlier: EarlierImport): FileImportSummary {
  const when = new Date(earlier.imported_at).toISOString();
  return {
    ...summary,
    status: 'already-imported',
    message: `same content as ${basename(earlier.path)}, imported ${when}; nothing changed`,
  };
}

function emptySummary(path: string, from?: FileImportSummary): FileImportSummary {
  return {
    path,
    format: from?.format ?? null,
    formatLabel: from?.formatLabel ?? null,
    status: 'imported',
    rowsRead: 0,
    rowsImported: 0,
    rowsDuplicate: 0,
    rowsSkipped: 0,
    issues: [],
    issueCount: 0,
    message: null,
    elapsedMs: 0,
  };
}

function fail(summary: FileImportSummary, err: unknown, started: number): FileImportSummary {
  return {
    ...emptySummary(summary.path, summary),
    status: 'failed',
    message: err instanceof Error ? err.message : String(err),
    elapsedMs: Math.round(performance.now() - started),
  };
}
