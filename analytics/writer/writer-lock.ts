import Database from 'better-sqlite3';
import { join } from 'node:path';
import { isBusyError } from './protocol.ts';

export const WRITER_LOCK_NAME = 'usage-writer.lock';

export interface WriterLock {
  release(): void;
}

/**
 * One writer per data directory: a second one would seal the first one's
 * active spill file while it is still appending, and those events would be
 * lost. An SQLite exclusive lock does the job portably and, unlike a pid
 * file, is released by the OS when the process dies however it dies.
 */
export function acquireWriterLock(dataDir: string): WriterLock {
  const file = join(dataDir, WRITER_LOCK_NAME);
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // A write is what makes EXCLUSIVE mode keep the lock after COMMIT.
    db.exec(`BEGIN EXCLUSIVE;
      CREATE TABLE IF NOT EXISTS holder (pid INTEGER, since INTEGER);
      DELETE FROM holder;
      INSERT INTO holder VALUES (${process.pid}, ${Date.now()});
      COMMIT;`);
    return { release: () => db.close() };
  } catch (err) {
    db.close();
    if (!isBusyError(err)) throw err;
    throw new Error(`another usage writer is already using ${dataDir} (lock: ${file})`, { cause: err });
  }
}
