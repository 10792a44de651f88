import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/db.ts';
import { prepareUsageInsert } from '../store/usage-events.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.ts';
import { backoffMs, describeError, isBusyError } from './protocol.ts';
import { failJob, newReplayJob, runBatch, runReplayStep, type Job, type JobContext } from './worker-jobs.ts';

/**
 * Worker thread that owns the write connection. Jobs run strictly in arrival
 * order (so spill files found at start-up commit before newer batches), one
 * batch or one replay chunk per turn of the event loop.
 */
const port = parentPort;
if (!port) throw new Error('analytics/writer/worker.ts must run as a worker thread');
const config = workerData as WorkerConfig;
const queue: Job[] = [];
let context: JobContext | null = null;
let wakeup: NodeJS.Timeout | NodeJS.Immediate | null = null;
let busyAttempts = 0;
let closeStore = (): void => {};

const post = (message: FromWorker): void => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  queue.push(message.type === 'replay' ? newReplayJob(message.file) : message);
  schedule(0);
});

openWithRetry(0, true);

/** `announce` only for the first open: the main side answers 'ready' by re-sending all its work. */
function openWithRetry(attempt: number, announce: boolean): void {
  try {
    const db = openStore(config.dbFile, { busyTimeoutMs: config.busyTimeoutMs });
    context = { config, inserter: prepareUsageInsert(db), post };
    closeStore = () => db.close();
    if (announce) post({ type: 'ready' });
    schedule(0);
  } catch (err) {
    if (!isBusyError(err)) {
      post({ type: 'fatal', error: describeError(err) });
      process.exit(1);
    }
    setTimeout(() => openWithRetry(attempt + 1, announce), backoffMs(attempt));
  }
}

function schedule(delayMs: number): void {
  if (wakeup || !context) return;
  wakeup = delayMs > 0 ? setTimeout(runNext, delayMs) : setImmediate(runNext);
}

function runNext(): void {
  wakeup = null;
  const job = queue[0];
  if (!job || !context) return;
  try {
    if (runJob(job, context)) queue.shift();
    busyAttempts = 0;
  } catch (err) {
    if (isBusyError(err)) return retryLater();
    failJob(job, err, context);
    queue.shift();
    return reconnect();
  }
  if (queue.length > 0) schedule(0);
}

/** Another connection holds the write lock: keep the job and try again, never drop it. */
function retryLater(): void {
  const delayMs = backoffMs(busyAttempts);
  busyAttempts += 1;
  post({ type: 'busy', attempt: busyAttempts, delayMs });
  schedule(delayMs);
}

/**
 * After a database-level failure start from a fresh connection: SQLite can keep
 * a connection stuck on a stale schema or a failed I/O state, and the main
 * side will send the failed work again (from the spill file).
 */
function reconnect(): void {
  context = null;
  try {
    closeStore();
  } catch {
    // Closing a broken connection may fail too; the new one is what matters.
  }
  openWithRetry(0, false);
}

function runJob(job: Job, ctx: JobContext): boolean {
  if (job.type === 'batch') {
    runBatch(job, ctx);
    return true;
  }
  if (job.type === 'replay') return runReplayStep(job, ctx);
  closeStore();
  process.exit(0);
}
