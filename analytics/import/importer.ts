import type Database from 'better-sqlite3';
import type { PriceBook } from '../../pricing/types.ts';
import { FileImport, findImport } from './file-import.ts';
import { mapRecord } from './map-records.ts';
import { openImportFile, type OpenedFile } from './open-file.ts';
import { emptySummary, failureOf, repeatOf, type FileImportSummary, type ImportProgress } from './summary.ts';

export type { FileImportSummary, ImportIssue, ImportProgress } from './summary.ts';

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

/**
 * Imports one file in one transaction, parsing on this thread: all of its good rows, or (on a crash
 * or error) nothing. importFileParallel() does the same with parsing on a second thread.
 */
export async function importFile(path: string, options: ImportOptions): Promise<FileImportSummary> {
  const started = performance.now();
  const elapsed = (s: FileImportSummary): FileImportSummary => ({
    ...s,
    elapsedMs: Math.round(performance.now() - started),
  });
  const summary = emptySummary(path);
  let opened: OpenedFile;
  try {
    opened = await openImportFile(path);
  } catch (err) {
    return elapsed(failureOf(summary, err));
  }
  summary.format = opened.format.id;
  summary.formatLabel = opened.format.label;
  const earlier = opened.digest ? findImport(options.db, opened.digest) : null;
  if (earlier) return elapsed(repeatOf(summary, earlier));
  try {
    const repeated = await importInTransaction(opened, options, summary);
    return elapsed(repeated ? repeatOf(summary, repeated) : summary);
  } catch (err) {
    return elapsed(failureOf(summary, err));
  }
}

async function importInTransaction(opened: OpenedFile, options: ImportOptions, summary: FileImportSummary) {
  const transaction = new FileImport(options.db, summary, opened.digest);
  try {
    const context = { prices: options.prices };
    let bytesRead = 0;
    const digest = await opened.read(
      (batch) => {
        for (const record of batch) transaction.store(mapRecord(record, opened.format, context));
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
    return transaction.finish(digest);
  } catch (err) {
    transaction.abort();
    throw err;
  }
}
