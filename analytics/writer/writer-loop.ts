import { openStore } from '../store/db.ts';
import { prepareUsageInsert } from '../store/usage-events.ts';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.ts';
import { backoffMs, describeError, isBusyError } from './protocol.ts';
import { failJob, newReplayJob, runBatch, runReplayStep, type Job, type JobContext } from './worker-jobs.ts';

/** Messages in, messages out: a worker thread's parentPort, or one end of a MessageChannel in tests. */
export interface LoopPort {
  on(event: 'message', listener: (message: ToWorker) => void): unknown;
  postMessage(message: FromWorker): void;
}

/**
 * The loop that owns the write connection. Jobs run strictly in arrival order
 * (so spill files found at start-up commit before newer batches), one batch or
 * one replay chunk per turn of the event loop. It is kept apart from the thread
 * that hosts it (worker.ts) so tests can drive it in process; `exit` ends the host.
 */
export function runWriterLoop(port: LoopPort, config: WorkerConfig, exit: (code: number) => void): void {
  const loop = new WriterLoop(port, config, exit);
  port.on('message', (message) => loop.enqueue(message));
  loop.open(0, true);
}

class WriterLoop {
  readonly #port: LoopPort;
  readonly #config: WorkerConfig;
  readonly #exit: (code: number) => void;
  readonly #queue: Job[] = [];
  #context: JobContext | null = null;
  #wakeup: NodeJS.Timeout | NodeJS.Immediate | null = null;
  #busyAttempts = 0;
  #closeStore = (): void => {};
  #closed = false;

  constructor(port: LoopPort, config: WorkerConfig, exit: (code: number) => void) {
    this.#port = port;
    this.#config = config;
    this.#exit = exit;
  }

  enqueue(message: ToWorker): void {
    this.#queue.push(message.type === 'replay' ? newReplayJob(message.file) : message);
    this.#schedule(0);
  }

  /** `announce` only for the first open: the main side answers 'ready' by re-sending all its work. */
  open(attempt: number, announce: boolean): void {
    try {
      const db = openStore(this.#config.dbFile, { busyTimeoutMs: this.#config.busyTimeoutMs });
      this.#context = { config: this.#config, inserter: prepareUsageInsert(db), post: (m) => this.#post(m) };
      this.#closeStore = () => db.close();
      if (announce) this.#post({ type: 'ready' });
      this.#schedule(0);
    } catch (err) {
      if (!isBusyError(err)) {
        this.#post({ type: 'fatal', error: describeError(err) });
        return this.#exit(1);
      }
      setTimeout(() => this.open(attempt + 1, announce), backoffMs(attempt));
    }
  }

  #post(message: FromWorker): void {
    this.#port.postMessage(message);
  }

  #schedule(delayMs: number): void {
    if (this.#wakeup || !this.#context || this.#closed) return;
    this.#wakeup =
      delayMs > 0 ? setTimeout(() => this.#runNext(), delayMs) : setImmediate(() => this.#runNext());
  }

  #runNext(): void {
    this.#wakeup = null;
    const job = this.#queue[0];
    if (!job || !this.#context) return;
    try {
      if (this.#runJob(job, this.#context)) this.#queue.shift();
      this.#busyAttempts = 0;
    } catch (err) {
      if (isBusyError(err)) return this.#retryLater();
      failJob(job, err, this.#context);
      this.#queue.shift();
      return this.#reconnect();
    }
    if (this.#queue.length > 0) this.#schedule(0);
  }

  /** Another connection holds the write lock: keep the job and try again, never drop it. */
  #retryLater(): void {
    const delayMs = backoffMs(this.#busyAttempts);
    this.#busyAttempts += 1;
    this.#post({ type: 'busy', attempt: this.#busyAttempts, delayMs });
    this.#schedule(delayMs);
  }

  /**
   * After a database-level failure start from a fresh connection: SQLite can keep
   * a connection stuck on a stale schema or a failed I/O state, and the main
   * side will send the failed work again (from the spill file).
   */
  #reconnect(): void {
    this.#context = null;
    try {
      this.#closeStore();
    } catch {
      // Closing a broken connection may fail too; the new one is what matters.
    }
    this.open(0, false);
  }

  /** True when the job is finished and leaves the queue. */
  #runJob(job: Job, context: JobContext): boolean {
    if (job.type === 'batch') {
      runBatch(job, context);
      return true;
    }
    if (job.type === 'replay') return runReplayStep(job, context);
    this.#closed = true;
    this.#queue.length = 0;
    this.#closeStore();
    this.#exit(0);
    return false;
  }
}
