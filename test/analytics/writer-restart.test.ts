import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageWriter } from '../../analytics/writer/usage-writer.ts';
import { makeEvents } from './fixtures/events.ts';
import { ActivityLog, freshDir, storedIds } from './helpers.ts';

function integrityOf(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** Terminates only once a probe connection sees the worker holding the write lock. */
async function killOnceInsideTransaction(dbFile: string, kill: () => Promise<void>): Promise<void> {
  const probe = new Database(dbFile);
  probe.pragma('busy_timeout = 0');
  try {
    for (;;) {
      try {
        probe.exec('BEGIN IMMEDIATE');
        probe.exec('ROLLBACK');
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_BUSY') return await kill();
        throw err;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    probe.close();
  }
}

describe('UsageWriter worker restarts', () => {
  it('stores a batch exactly once when the worker dies after commit but before its ack', async () => {
    const dataDir = freshDir();
    const log = new ActivityLog();
    const errors: Error[] = [];
    const writer = await UsageWriter.start({
      dataDir,
      batchSize: 100,
      faults: { exitAfterCommitOfBatch: 2 },
      onActivity: log.listener,
      onError: (err) => errors.push(err),
    });
    const events = makeEvents(500);
    for (const event of events) writer.record(event);
    await writer.flush();
    // A proxy retry re-sends ids it already recorded: still one row each.
    for (const event of events.slice(0, 100)) writer.record(event);
    await writer.close();

    expect(writer.stats()).toMatchObject({ recorded: 600, workerRestarts: 1, pending: 0 });
    expect(log.count('worker-exit')).toBe(1);
    expect(errors.some((err) => /worker exited/.test(err.message))).toBe(true);
    const ids = storedIds(join(dataDir, 'analytics.db'));
    expect(ids).toHaveLength(500);
    expect(new Set(ids)).toEqual(new Set(events.map((event) => event.id)));
  });

  it('redoes a batch whose worker was terminated inside its transaction', async () => {
    const dataDir = freshDir();
    const log = new ActivityLog();
    let killed = false;
    const writer: UsageWriter = await UsageWriter.start({
      dataDir,
      batchSize: 60_000,
      onActivity: (activity) => {
        log.listener(activity);
        if (activity.type === 'batch-begin' && !killed) {
          killed = true;
          void killOnceInsideTransaction(join(dataDir, 'analytics.db'), () => writer.terminateWorker());
        }
      },
    });
    const events = makeEvents(60_000, 'big');
    for (const event of events) writer.record(event);
    await writer.flush();
    await writer.close();

    // The first attempt never acknowledged: it was cut off mid-transaction.
    expect(log.types()).toEqual([
      'worker-ready',
      'batch-begin',
      'worker-exit',
      'worker-ready',
      'batch-begin',
      'batch-ack',
    ]);
    expect(writer.stats()).toMatchObject({ recorded: 60_000, committed: 60_000, workerRestarts: 1 });
    const dbFile = join(dataDir, 'analytics.db');
    expect(integrityOf(dbFile)).toBe('ok');
    expect(storedIds(dbFile)).toHaveLength(60_000);
  });
});
