import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../analytics/store/db.ts';
import { countUsageEvents, prepareUsageInsert } from '../../analytics/store/usage-events.ts';
import type { FromWorker, WorkerConfig } from '../../analytics/writer/protocol.ts';
import { SpillLineReader, parseSpillLines, toSpillLines } from '../../analytics/writer/spill-reader.ts';
import {
  failJob,
  newReplayJob,
  runBatch,
  runReplayStep,
  type JobContext,
} from '../../analytics/writer/worker-jobs.ts';
import { makeEvent, makeEvents } from './fixtures/events.ts';
import { freshDir } from './helpers.ts';

function readAll(file: string, chunk: number): string[][] {
  const reader = new SpillLineReader(file);
  const chunks: string[][] = [];
  for (let lines = reader.next(chunk); lines; lines = reader.next(chunk)) chunks.push(lines);
  reader.close();
  return chunks;
}

const openConnections: Database.Database[] = [];
afterEach(() => {
  for (const db of openConnections.splice(0)) db.close();
});

function jobContext(dir: string): { ctx: JobContext; messages: FromWorker[] } {
  const messages: FromWorker[] = [];
  const config: WorkerConfig = {
    dbFile: join(dir, 'analytics.db'),
    rejectedFile: join(dir, 'rejected.jsonl'),
    busyTimeoutMs: 100,
    replayChunkSize: 1_000,
  };
  const db = openStore(config.dbFile);
  openConnections.push(db);
  return {
    ctx: { config, inserter: prepareUsageInsert(db), post: (message) => messages.push(message) },
    messages,
  };
}

describe('spill file reading', () => {
  it('splits lines across 1 MiB read chunks without breaking multi-byte characters', () => {
    const file = join(freshDir(), 'spill.jsonl');
    // ~3 MiB of lines with 3- and 4-byte characters, so chunk edges land inside them.
    const events = makeEvents(6_000, 'ü€😀'.repeat(40));
    writeFileSync(file, toSpillLines(events));
    const chunks = readAll(file, 1_000);
    expect(chunks.map((lines) => lines.length)).toEqual([1_000, 1_000, 1_000, 1_000, 1_000, 1_000]);
    const parsed = parseSpillLines(chunks.flat());
    expect(parsed.skippedLines).toBe(0);
    expect(parsed.events).toEqual(events);
  });

  it('returns a torn last line for the parser to skip, and ignores blank lines', () => {
    const file = join(freshDir(), 'spill.jsonl');
    writeFileSync(file, toSpillLines(makeEvents(3)) + '\n\n' + '{"id":"torn","costNa');
    const lines = readAll(file, 100).flat();
    expect(lines).toHaveLength(6);
    expect(parseSpillLines(lines)).toMatchObject({ skippedLines: 1 });
    expect(parseSpillLines(['[1,2]', 'null', '{"no":"id"}']).skippedLines).toBe(3);
  });
});

describe('worker jobs (run in-process)', () => {
  it('commits a batch and acknowledges it with counts', () => {
    const { ctx, messages } = jobContext(freshDir());
    runBatch({ type: 'batch', batchId: 7, events: makeEvents(10) }, ctx);
    runBatch({ type: 'batch', batchId: 8, events: makeEvents(12) }, ctx);
    expect(messages.filter((m) => m.type === 'batch-ack')).toEqual([
      { type: 'batch-ack', batchId: 7, size: 10, inserted: 10, rejected: 0 },
      { type: 'batch-ack', batchId: 8, size: 12, inserted: 2, rejected: 0 },
    ]);
  });

  it('replays a file in chunks, deletes it only at the end, and tolerates a missing file', () => {
    const dir = freshDir();
    const { ctx, messages } = jobContext(dir);
    const file = join(dir, 'sealed-1.jsonl');
    const bad = makeEvent(9_999, 'bad', { status: Number.NaN });
    writeFileSync(file, toSpillLines([...makeEvents(2_500), bad]) + '{"id":"to');
    const job = newReplayJob(file);
    let steps = 0;
    while (!runReplayStep(job, ctx)) {
      steps += 1;
      expect(existsSync(file)).toBe(true);
    }
    expect(steps).toBe(3);
    expect(existsSync(file)).toBe(false);
    expect(messages.at(-1)).toEqual({
      type: 'replay-done',
      file,
      eventsDone: 2_500,
      skippedLines: 1,
      rejected: 1,
    });
    expect(existsSync(ctx.config.rejectedFile)).toBe(true);
    expect(runReplayStep(newReplayJob(file), ctx)).toBe(true);
    expect(messages.at(-1)).toMatchObject({ type: 'replay-done', eventsDone: 0 });
  });

  it('reports failures for the main side to act on', () => {
    const dir = freshDir();
    const { ctx, messages } = jobContext(dir);
    failJob({ type: 'batch', batchId: 3, events: [] }, new Error('disk full'), ctx);
    failJob(
      newReplayJob(join(dir, 'x.jsonl')),
      Object.assign(new Error('io'), { code: 'SQLITE_IOERR' }),
      ctx,
    );
    expect(messages).toEqual([
      { type: 'batch-failed', batchId: 3, error: 'disk full' },
      { type: 'replay-failed', file: join(dir, 'x.jsonl'), error: 'SQLITE_IOERR: io' },
    ]);
  });

  it('keeps store row counts consistent with what was acknowledged', () => {
    const dir = freshDir();
    const { ctx } = jobContext(dir);
    runBatch({ type: 'batch', batchId: 1, events: makeEvents(50) }, ctx);
    const db = openStore(ctx.config.dbFile);
    expect(countUsageEvents(db)).toBe(50);
    db.close();
  });
});
