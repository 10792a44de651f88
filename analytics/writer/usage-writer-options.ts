import type { FromWorker, WorkerFaults } from './protocol.ts';

export interface UsageWriterOptions {
  dataDir: string;
  /** Defaults to `<dataDir>/analytics.db`. */
  dbFile?: string;
  batchSize?: number;
  flushIntervalMs?: number;
  /** Events handed to the worker but not yet committed before new batches go to the spill file. */
  maxPendingEvents?: number;
  /** SQLite's own wait per attempt; the worker then keeps retrying with backoff. */
  busyTimeoutMs?: number;
  replayChunkSize?: number;
  /** How long close() waits for the database before leaving the rest in the spill file. */
  shutdownTimeoutMs?: number;
  onError?: (err: Error) => void;
  /** Observability and tests: worker progress, restarts, seals. */
  onActivity?: (activity: WriterActivity) => void;
  /** Test-only fault injection for the first worker. */
  faults?: WorkerFaults;
}

export type WriterActivity =
  | Exclude<FromWorker, { type: 'ready' | 'fatal' }>
  | { type: 'worker-ready'; restart: boolean }
  | { type: 'worker-exit'; code: number }
  | { type: 'spill-sealed'; file: string; events: number };

export interface UsageWriterStats {
  recorded: number;
  /** Events from live batches now in the database. */
  committed: number;
  /** Events written to a spill file because the database was behind or failing. */
  spilled: number;
  /** Events from spill files (this or an earlier process) now in the database. */
  replayed: number;
  /** In memory, not yet committed: buffered plus sent to the worker. */
  pending: number;
  workerRestarts: number;
  /** record() calls after close(); always reported through onError. */
  dropped: number;
  /** Events SQLite refused; kept in usage-spill/rejected.jsonl. */
  rejected: number;
  /** Unreadable spill lines (a torn tail after a crash mid-append). */
  skippedLines: number;
}

export type Counters = Omit<UsageWriterStats, 'pending' | 'workerRestarts'>;

export const DEFAULTS = {
  batchSize: 512,
  flushIntervalMs: 50,
  maxPendingEvents: 50_000,
  busyTimeoutMs: 1_000,
  replayChunkSize: 1_000,
  shutdownTimeoutMs: 10_000,
};

export function definedOnly(options: UsageWriterOptions): Partial<typeof DEFAULTS> {
  const picked: Partial<typeof DEFAULTS> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const value = options[key];
    if (typeof value === 'number' && value > 0) picked[key] = value;
  }
  return picked;
}

export function withinTime(work: Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

export function zeroCounters(): Counters {
  return { recorded: 0, committed: 0, spilled: 0, replayed: 0, dropped: 0, rejected: 0, skippedLines: 0 };
}
