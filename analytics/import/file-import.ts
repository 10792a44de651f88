import type Database from 'better-sqlite3';
import { CostRowWriter } from '../store/cost-rows.ts';
import type { MappedRecord } from './map-records.ts';
import { recordSkip, type EarlierImport, type FileImportSummary } from './summary.ts';

// Each import reads the store's fingerprints and writes rows, dims and rollup; a roomy page cache keeps
// SQLite from re-reading pages it has just written.
const IMPORT_CACHE_KIB = 512 * 1024;

export function findImport(db: Database.Database, digest: string): EarlierImport | null {
  const row = db.prepare('SELECT path, imported_at FROM import_files WHERE content_sha256 = ?').get(digest);
  return (row as EarlierImport | undefined) ?? null;
}

/**
 * One file's write transaction: begun before the first row, committed with the rollup and the file's
 * record, or rolled back whole. Used by the in-process importer and the two-thread one alike.
 */
export class FileImport {
  private readonly db: Database.Database;
  private readonly summary: FileImportSummary;
  private readonly fileId: number;
  private readonly writer: CostRowWriter;

  /** Begins the transaction; `digest` is null for streamed files, which learn it at the end. */
  constructor(db: Database.Database, summary: FileImportSummary, digest: string | null) {
    this.db = db;
    this.summary = summary;
    if (Number(db.pragma('cache_size', { simple: true })) > -IMPORT_CACHE_KIB) {
      db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      this.fileId = this.insertFileRecord(digest);
      this.writer = new CostRowWriter(db, this.fileId);
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }

  store(record: MappedRecord): void {
    this.summary.rowsRead++;
    if (record.error !== undefined) {
      recordSkip(this.summary, record.line, record.error);
      return;
    }
    record.rows.forEach((row, i) => {
      if (this.writer.add(row, record.line, record.fingerprints[i]) === 'imported')
        this.summary.rowsImported++;
      else this.summary.rowsDuplicate++;
    });
  }

  /** Commits, unless the content turns out to be imported already: then rolls back and says by whom. */
  finish(digest: string): EarlierImport | null {
    try {
      const earlier = findImport(this.db, digest);
      if (earlier) {
        this.db.exec('ROLLBACK');
        return earlier;
      }
      this.writer.finish();
      this.finishFileRecord(digest);
      this.db.exec('COMMIT');
      return null;
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  abort(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  private insertFileRecord(digest: string | null): number {
    const result = this.db
      .prepare(
        `INSERT INTO import_files (content_sha256, path, format, imported_at, rows_read, rows_imported,
           rows_duplicate, rows_skipped, issues_json) VALUES (?, ?, ?, ?, 0, 0, 0, 0, '[]')`,
      )
      // Until the end, a unique placeholder holds the place of the digest (and a known digest must not
      // match itself when finish() looks for an earlier import).
      .run(
        `pending:${process.pid}:${Date.now()}:${Math.random()}:${digest ?? ''}`,
        this.summary.path,
        this.summary.format,
        Date.now(),
      );
    return Number(result.lastInsertRowid);
  }

  private finishFileRecord(digest: string): void {
    const s = this.summary;
    this.db
      .prepare(
        `UPDATE import_files SET content_sha256 = ?, rows_read = ?, rows_imported = ?, rows_duplicate = ?,
           rows_skipped = ?, issues_json = ? WHERE id = ?`,
      )
      .run(
        digest,
        s.rowsRead,
        s.rowsImported,
        s.rowsDuplicate,
        s.rowsSkipped,
        JSON.stringify(s.issues),
        this.fileId,
      );
  }
}
