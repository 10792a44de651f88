import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { UsageWriter } from '../../analytics/writer/usage-writer.ts';
import { makeEvents } from './fixtures/events.ts';
import { ActivityLog, freshDir, storedIds, waitFor } from './helpers.ts';

const jsonl = (events: readonly object[]): string =>
  events.map((event) => JSON.stringify(event) + '\n').join('');

function spillFiles(dataDir: string): string[] {
  const dir = join(dataDir, 'usage-spill');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name !== 'rejected.jsonl') : [];
}

function activeSpillSize(dataDir: string): number {
  const file = join(dataDir, 'usage-spill', 'active.jsonl');
  return existsSync(file) ? statSync(file).size : 0;
}

/** Records events one by one and returns the slowest single record() call in ms. */
function recordTimed(writer: UsageWriter, events: ReturnType<typeof makeEvents>): number {
  let slowest = 0;
  for (const event of events) {
    const started = performance.now();
    writer.record(event);
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}

describe('UsageWriter spill', () => {
  it('spills while another connection holds the write lock, then stores everything exactly once', async () => {
    const dataDir = freshDir();
    const dbFile = join(dataDir, 'analytics.db');
    const log = new ActivityLog();
    const writer = await UsageWriter.start({
      dataDir,
      batchSize: 100,
      maxPendingEvents: 1_000,
      busyTimeoutMs: 20,
      onActivity: log.listener,
    });
    const blocker = new Database(dbFile);
    blocker.exec('BEGIN IMMEDIATE');

    const events = makeEvents(20_000);
    const slowestFirstHalf = recordTimed(writer, events.slice(0, 10_000));
    await waitFor(() => activeSpillSize(dataDir) > 0, 5_000, 'spill file to appear');
    const sizeAfterFirstHalf = activeSpillSize(dataDir);
    const slowestSecondHalf = recordTimed(writer, events.slice(10_000));
    await waitFor(() => activeSpillSize(dataDir) > sizeAfterFirstHalf, 5_000, 'spill file to grow');

    const slowest = Math.max(slowestFirstHalf, slowestSecondHalf);
    expect(slowest, `slowest record() took ${slowest.toFixed(1)} ms`).toBeLessThan(50);
    await waitFor(() => log.count('busy') > 0, 5_000, 'the worker to report the lock');
    expect(writer.stats().pending).toBeLessThanOrEqual(1_000);
    expect(writer.stats().spilled).toBeGreaterThanOrEqual(19_000);
    expect(storedIds(dbFile)).toHaveLength(0);

    blocker.exec('COMMIT');
    blocker.close();
    await writer.flush();

    const ids = storedIds(dbFile);
    expect(ids).toHaveLength(20_000);
    expect(new Set(ids)).toEqual(new Set(events.map((event) => event.id)));
    const stats = writer.stats();
    expect(stats.committed + stats.spilled).toBe(20_000);
    expect(stats.replayed).toBe(stats.spilled);
    expect(spillFiles(dataDir)).toEqual([]);
    await writer.close();
  });

  it('seals and replays spill files left by a dead process, skipping a torn last line', async () => {
    const dataDir = freshDir();
    const spillDir = join(dataDir, 'usage-spill');
    mkdirSync(spillDir, { recursive: true });
    const older = makeEvents(200, 'old');
    const crashed = makeEvents(300, 'crash');
    // The dead process sealed one file and was killed mid-append on the next.
    writeFileSync(join(spillDir, 'sealed-000001700000000-4242-1.jsonl'), jsonl(older));
    writeFileSync(
      join(spillDir, 'active.jsonl'),
      jsonl([...crashed, ...older.slice(0, 50)]) + '{"id":"torn-1","ts":17',
    );

    const log = new ActivityLog();
    const errors: Error[] = [];
    const writer = await UsageWriter.start({
      dataDir,
      onActivity: log.listener,
      onError: (err) => errors.push(err),
    });
    const fresh = makeEvents(10, 'new');
    for (const event of fresh) writer.record(event);
    await writer.flush();

    const ids = new Set(storedIds(join(dataDir, 'analytics.db')));
    expect(ids.size).toBe(200 + 300 + 10);
    for (const event of [...older, ...crashed, ...fresh]) expect(ids.has(event.id)).toBe(true);
    expect(writer.stats()).toMatchObject({ skippedLines: 1, replayed: 550, committed: 10 });
    expect(errors.some((err) => /torn/.test(err.message))).toBe(true);
    // Older events are in before any new batch is acknowledged.
    const types = log.types();
    expect(types.lastIndexOf('replay-done')).toBeLessThan(types.indexOf('batch-ack'));
    expect(spillFiles(dataDir)).toEqual([]);
    await writer.close();
  });

  it('leaves unfinished work in the spill file when close() times out, and the next start stores it', async () => {
    const dataDir = freshDir();
    const dbFile = join(dataDir, 'analytics.db');
    const first = await UsageWriter.start({ dataDir, busyTimeoutMs: 20, shutdownTimeoutMs: 300 });
    const blocker = new Database(dbFile);
    blocker.exec('BEGIN IMMEDIATE');
    const events = makeEvents(2_000);
    for (const event of events) first.record(event);
    await first.close();
    blocker.exec('ROLLBACK');
    blocker.close();
    expect(storedIds(dbFile)).toHaveLength(0);
    expect(spillFiles(dataDir).length).toBeGreaterThan(0);

    const second = await UsageWriter.start({ dataDir });
    await second.flush();
    expect(storedIds(dbFile)).toHaveLength(2_000);
    expect(spillFiles(dataDir)).toEqual([]);
    await second.close();
  });

  it('spills a batch the database fails on (not busy), keeps the rest in memory, and stores all once fixed', async () => {
    const dataDir = freshDir();
    const dbFile = join(dataDir, 'analytics.db');
    const errors: Error[] = [];
    const writer = await UsageWriter.start({ dataDir, batchSize: 50, onError: (err) => errors.push(err) });
    // A trigger whose target table is gone makes every insert fail with a plain SQLITE_ERROR.
    const admin = new Database(dbFile);
    admin.exec(`CREATE TABLE side (x INTEGER);
      CREATE TRIGGER break_inserts AFTER INSERT ON usage_events BEGIN INSERT INTO side VALUES (1); END;
      DROP TABLE side;`);
    const events = makeEvents(200, 'fault');
    for (const event of events) writer.record(event);
    await waitFor(
      () => errors.some((err) => /failed \(SQLITE_ERROR/.test(err.message)),
      5_000,
      'a failed batch',
    );
    // The failed batch went to disk; the rest wait in memory while the worker
    // reconnects (and is restarted with backoff while the store cannot even open).
    expect(writer.stats().spilled).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));

    admin.exec('DROP TRIGGER break_inserts');
    admin.close();
    await writer.flush();
    expect(storedIds(dbFile)).toHaveLength(200);
    const stats = writer.stats();
    expect(stats.committed + stats.replayed).toBe(200);
    expect(stats.replayed).toBe(stats.spilled);
    expect(spillFiles(dataDir)).toEqual([]);
    await writer.close();
  });
});
