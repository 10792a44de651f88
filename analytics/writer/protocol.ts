import type { UsageEvent } from '../../contracts/usage.ts';

/** Passed to the worker as workerData. */
export interface WorkerConfig {
  dbFile: string;
  /** Where events SQLite refuses (bad data) are kept for a human to look at. */
  rejectedFile: string;
  busyTimeoutMs: number;
  replayChunkSize: number;
  faults?: WorkerFaults;
}

/** Test-only fault injection; only the first worker of a writer receives it. */
export interface WorkerFaults {
  /** Exit the worker right after committing this batch, before acknowledging it. */
  exitAfterCommitOfBatch?: number;
}

export type ToWorker =
  | { type: 'batch'; batchId: number; events: UsageEvent[] }
  | { type: 'replay'; file: string }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; error: string }
  | { type: 'batch-begin'; batchId: number; size: number }
  | { type: 'batch-ack'; batchId: number; size: number; inserted: number; rejected: number }
  | { type: 'batch-failed'; batchId: number; error: string }
  | { type: 'replay-progress'; file: string; linesDone: number; eventsDone: number }
  | { type: 'replay-done'; file: string; eventsDone: number; skippedLines: number; rejected: number }
  | { type: 'replay-failed'; file: string; error: string }
  | { type: 'busy'; attempt: number; delayMs: number };

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** SQLite says another connection holds the lock: wait and retry, never give up on the batch. */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** Exponential backoff capped so a long-held lock is polled about once a second. */
export function backoffMs(attempt: number, baseMs = 5, capMs = 1_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
}
