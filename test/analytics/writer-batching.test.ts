import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageWriter } from '../../analytics/writer/usage-writer.ts';
import { makeEvent, makeEvents } from './fixtures/events.ts';
import { ActivityLog, freshDir, storedIds, waitFor } from './helpers.ts';

describe('UsageWriter batching', () => {
  it('commits many events in few transactions (one per full batch)', async () => {
    const dataDir = freshDir();
    const log = new ActivityLog();
    const writer = await UsageWriter.start({ dataDir, batchSize: 500, onActivity: log.listener });
    for (const event of makeEvents(10_000)) writer.record(event);
    await writer.flush();
    // Each batch-begin/ack pair is exactly one BEGIN IMMEDIATE ... COMMIT in the worker.
    expect(log.count('batch-begin')).toBe(20);
    expect(log.count('batch-ack')).toBe(20);
    expect(writer.stats()).toMatchObject({ recorded: 10_000, committed: 10_000, pending: 0, spilled: 0 });
    await writer.close();
    expect(storedIds(join(dataDir, 'analytics.db'))).toHaveLength(10_000);
  });

  it('commits a partial batch on the flush timer without an explicit flush', async () => {
    const dataDir = freshDir();
    const writer = await UsageWriter.start({ dataDir, flushIntervalMs: 20 });
    writer.record(makeEvent(1));
    writer.record(makeEvent(2));
    expect(writer.stats().pending).toBe(2);
    await waitFor(() => writer.stats().committed === 2, 5_000, 'timer flush');
    await writer.close();
  });

  it('record() never throws and drops (and reports) events after close', async () => {
    const errors: Error[] = [];
    const writer = await UsageWriter.start({ dataDir: freshDir(), onError: (err) => errors.push(err) });
    writer.record(makeEvent(1));
    await writer.close();
    expect(() => writer.record(makeEvent(2))).not.toThrow();
    expect(writer.stats()).toMatchObject({ recorded: 1, committed: 1, dropped: 1 });
    expect(errors.some((err) => /after close/.test(err.message))).toBe(true);
  });

  it('refuses to start on a database from a newer build', async () => {
    const dataDir = freshDir();
    const first = await UsageWriter.start({ dataDir });
    await first.close();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(join(dataDir, 'analytics.db'));
    raw.pragma('user_version = 99');
    raw.close();
    await expect(UsageWriter.start({ dataDir })).rejects.toThrow(/schema version 99/);
  });

  it('sets aside an event the database refuses and still stores the rest of its batch', async () => {
    const dataDir = freshDir();
    const errors: Error[] = [];
    const writer = await UsageWriter.start({ dataDir, onError: (err) => errors.push(err) });
    writer.record(makeEvent(1));
    writer.record(makeEvent(2, 'evt', { costNanos: Number.NaN }));
    writer.record(makeEvent(3));
    await writer.close();
    expect(writer.stats()).toMatchObject({ recorded: 3, committed: 2, rejected: 1 });
    expect(storedIds(join(dataDir, 'analytics.db'))).toEqual(['evt-1', 'evt-3']);
    const parked = readFileSync(join(dataDir, 'usage-spill', 'rejected.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(parked.map((line) => JSON.parse(line).event.id)).toEqual(['evt-2']);
    expect(errors.some((err) => /refused by the database/.test(err.message))).toBe(true);
  });

  it('allows one writer per data directory at a time', async () => {
    const dataDir = freshDir();
    const first = await UsageWriter.start({ dataDir });
    await expect(UsageWriter.start({ dataDir })).rejects.toThrow(/already using/);
    await first.close();
    const second = await UsageWriter.start({ dataDir });
    await second.close();
  });
});
