import { appendFileSync, unlinkSync } from 'node:fs';
import type { UsageEvent } from '../../contracts/usage.ts';
import type { RejectedEvent, UsageInserter } from '../store/usage-events.ts';
import type { FromWorker, WorkerConfig } from './protocol.ts';
import { describeError } from './protocol.ts';
import { SpillLineReader, parseSpillLines, type ParsedChunk } from './spill-reader.ts';

export interface BatchJob {
  type: 'batch';
  batchId: number;
  events: UsageEvent[];
}

export interface ReplayJob {
  type: 'replay';
  file: string;
  reader: SpillLineReader | null;
  /** Parsed but not yet committed, kept so a busy retry re-inserts the same lines. */
  pending: (ParsedChunk & { lineCount: number }) | null;
  linesDone: number;
  eventsDone: number;
  skippedLines: number;
  rejected: number;
}

export interface CloseJob {
  type: 'close';
}

export type Job = BatchJob | ReplayJob | CloseJob;

export interface JobContext {
  config: WorkerConfig;
  inserter: UsageInserter;
  post: (message: FromWorker) => void;
}

export function newReplayJob(file: string): ReplayJob {
  return {
    type: 'replay',
    file,
    reader: null,
    pending: null,
    linesDone: 0,
    eventsDone: 0,
    skippedLines: 0,
    rejected: 0,
  };
}

/** Commits the whole batch in one transaction, then acknowledges it. */
export function runBatch(job: BatchJob, ctx: JobContext): void {
  ctx.post({ type: 'batch-begin', batchId: job.batchId, size: job.events.length });
  const result = ctx.inserter.insertBatch(job.events);
  keepRejected(ctx.config, result.rejected);
  if (ctx.config.faults?.exitAfterCommitOfBatch === job.batchId) process.exit(1);
  ctx.post({
    type: 'batch-ack',
    batchId: job.batchId,
    size: job.events.length,
    inserted: result.inserted,
    rejected: result.rejected.length,
  });
}

/** One chunk per call so the worker keeps taking messages; true once the file is replayed and deleted. */
export function runReplayStep(job: ReplayJob, ctx: JobContext): boolean {
  if (!job.reader && !openReader(job)) return finishReplay(job, ctx);
  job.pending ??= readChunk(job, ctx.config.replayChunkSize);
  if (!job.pending) return finishReplay(job, ctx);
  const result = ctx.inserter.insertBatch(job.pending.events);
  keepRejected(ctx.config, result.rejected);
  job.linesDone += job.pending.lineCount;
  job.eventsDone += job.pending.events.length - result.rejected.length;
  job.skippedLines += job.pending.skippedLines;
  job.rejected += result.rejected.length;
  job.pending = null;
  ctx.post({ type: 'replay-progress', file: job.file, linesDone: job.linesDone, eventsDone: job.eventsDone });
  return false;
}

export function failJob(job: Job, err: unknown, ctx: JobContext): void {
  if (job.type === 'batch')
    ctx.post({ type: 'batch-failed', batchId: job.batchId, error: describeError(err) });
  if (job.type === 'replay') {
    job.reader?.close();
    ctx.post({ type: 'replay-failed', file: job.file, error: describeError(err) });
  }
}

/** False when the file is already gone (an earlier worker finished it just before dying). */
function openReader(job: ReplayJob): boolean {
  try {
    job.reader = new SpillLineReader(job.file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function readChunk(job: ReplayJob, size: number): ReplayJob['pending'] {
  const lines = job.reader?.next(size) ?? null;
  return lines ? { ...parseSpillLines(lines), lineCount: lines.length } : null;
}

function finishReplay(job: ReplayJob, ctx: JobContext): boolean {
  job.reader?.close();
  job.reader = null;
  // Deleted only now: every chunk of it has committed.
  unlinkIfPresent(job.file);
  ctx.post({
    type: 'replay-done',
    file: job.file,
    eventsDone: job.eventsDone,
    skippedLines: job.skippedLines,
    rejected: job.rejected,
  });
  return true;
}

function unlinkIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Events SQLite refused would fail every retry; park them in a file instead of looping or losing them. */
function keepRejected(config: WorkerConfig, rejected: readonly RejectedEvent[]): void {
  if (rejected.length === 0) return;
  const lines = rejected.map((entry) => JSON.stringify({ at: Date.now(), ...entry }) + '\n').join('');
  appendFileSync(config.rejectedFile, lines);
}
