// The write loop driven in process through a MessageChannel: the same messages
// the worker thread exchanges, without the thread (so its logic is measured).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FromWorker, WorkerConfig } from '../../analytics/writer/protocol.ts';
import { runWriterLoop } from '../../analytics/writer/writer-loop.ts';
import { makeEvents } from './fixtures/events.ts';
import { freshDir, storedIds, waitFor } from './helpers.ts';

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function startLoop(dbFile: string) {
  const dir = freshDir();
  const config: WorkerConfig = {
    dbFile,
    rejectedFile: join(dir, 'rejected.jsonl'),
    busyTimeoutMs: 20,
    replayChunkSize: 3,
  };
  const channel = new MessageChannel();
  channels.push(channel);
  const received: FromWorker[] = [];
  const exits: number[] = [];
  channel.port2.on('message', (message: FromWorker) => received.push(message));
  runWriterLoop(channel.port1 as MessagePort & { on: MessagePort['on'] }, config, (code) => exits.push(code));
  const seen = (type: FromWorker['type']) => received.filter((m) => m.type === type);
  return { port: channel.port2, received, exits, seen };
}

describe('the write loop', () => {
  it('announces itself, commits each batch in order and acknowledges it, then closes on request', async () => {
    const dbFile = join(freshDir(), 'apex.db');
    const loop = startLoop(dbFile);
    await waitFor(() => loop.seen('ready').length === 1, 5000, 'ready');
    loop.port.postMessage({ type: 'batch', batchId: 1, events: makeEvents(4) });
    loop.port.postMessage({ type: 'batch', batchId: 2, events: makeEvents(3, 'b') });
    await waitFor(() => loop.seen('batch-ack').length === 2, 5000, 'acks');
    expect(loop.seen('batch-ack')).toEqual([
      { type: 'batch-ack', batchId: 1, size: 4, inserted: 4, rejected: 0 },
      { type: 'batch-ack', batchId: 2, size: 3, inserted: 3, rejected: 0 },
    ]);
    loop.port.postMessage({ type: 'close' });
    await waitFor(() => loop.exits.length === 1, 5000, 'exit');
    expect(loop.exits).toEqual([0]);
    expect(storedIds(dbFile)).toHaveLength(7);
  });

  it('replays a spill file in chunks, skipping a torn last line', async () => {
    const dir = freshDir();
    const dbFile = join(dir, 'apex.db');
    const spill = join(dir, 'sealed.jsonl');
    const events = makeEvents(7);
    writeFileSync(spill, events.map((e) => JSON.stringify(e)).join('\n') + '\n{"id":"torn');
    const loop = startLoop(dbFile);
    loop.port.postMessage({ type: 'replay', file: spill });
    await waitFor(() => loop.seen('replay-done').length === 1, 5000, 'replay');
    expect(loop.seen('replay-done')[0]).toMatchObject({ eventsDone: 7, skippedLines: 1 });
    expect(loop.seen('replay-progress').length).toBeGreaterThanOrEqual(2);
    expect(storedIds(dbFile).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('keeps a batch and retries while another connection holds the write lock', async () => {
    const dbFile = join(freshDir(), 'apex.db');
    const loop = startLoop(dbFile);
    await waitFor(() => loop.seen('ready').length === 1, 5000, 'ready');
    const blocker = new Database(dbFile);
    blocker.exec('BEGIN IMMEDIATE');
    loop.port.postMessage({ type: 'batch', batchId: 9, events: makeEvents(2) });
    await waitFor(() => loop.seen('busy').length >= 2, 5000, 'busy notices');
    expect(loop.seen('batch-ack')).toHaveLength(0);
    blocker.exec('COMMIT');
    blocker.close();
    await waitFor(() => loop.seen('batch-ack').length === 1, 5000, 'ack after the lock');
    expect(storedIds(dbFile)).toHaveLength(2);
  });

  it('reports a store it cannot open as fatal and exits with 1', async () => {
    const dir = freshDir();
    const notAFile = join(dir, 'a-directory');
    mkdirSync(notAFile);
    const loop = startLoop(notAFile);
    await waitFor(() => loop.exits.length === 1 && loop.seen('fatal').length === 1, 5000, 'fatal and exit');
    expect(loop.exits).toEqual([1]);
    expect(loop.seen('fatal')[0]).toMatchObject({ type: 'fatal', error: expect.any(String) });
  });
});
