import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerConfig } from './protocol.ts';
import { backoffMs } from './protocol.ts';
import { workerScript } from '../../common/resources.ts';

/**
 * The writer holds little live data (its inbox is serialized outside the heap),
 * so a small young generation keeps its share of the proxy's memory flat; an
 * out-of-memory exit is survivable anyway, because unacknowledged batches are re-sent.
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

const WORKER_URL = workerScript(import.meta.url, './worker.ts', './usage-writer-worker.js');

export interface WorkerHostHandlers {
  onMessage(message: FromWorker): void;
  /** A worker opened the store; for a restart the caller re-posts everything unacknowledged. */
  onReady(isRestart: boolean): void;
  onUnexpectedExit(code: number): void;
  onError(err: Error): void;
}

/**
 * Owns the worker thread's lifecycle: first start, restart with backoff after
 * any unplanned exit, and orderly or forced stop.
 */
export class WorkerHost {
  readonly #config: WorkerConfig;
  readonly #handlers: WorkerHostHandlers;
  #worker: Worker | null = null;
  #ready = false;
  #everReady = false;
  #lastFatal: string | null = null;
  #stopping = false;
  #restarts = 0;
  #failuresInARow = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #exited: Promise<void> = Promise.resolve();

  constructor(config: WorkerConfig, handlers: WorkerHostHandlers) {
    this.#config = config;
    this.#handlers = handlers;
  }

  get restarts(): number {
    return this.#restarts;
  }

  /** Spawns the first worker; rejects if it cannot open the store (e.g. a newer schema). */
  start(): Promise<void> {
    return new Promise((resolve, reject) => this.#spawn(false, { resolve, reject }));
  }

  /** False while no worker is ready; the caller keeps the message and re-posts on ready. */
  post(message: ToWorker): boolean {
    if (!this.#worker || !this.#ready) return false;
    this.#worker.postMessage(message);
    return true;
  }

  /** Called on real progress so a later crash restarts quickly again. */
  noteProgress(): void {
    this.#failuresInARow = 0;
  }

  /** Kills the current worker the hard way (as a crash would); it is restarted. */
  async terminate(): Promise<void> {
    await this.#worker?.terminate();
  }

  /** Asks the worker to finish its queue, close the store and exit. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#cancelRestart();
    if (!this.post({ type: 'close' })) await this.#worker?.terminate();
    await this.#exited;
  }

  async forceStop(): Promise<void> {
    this.#stopping = true;
    this.#cancelRestart();
    await this.#worker?.terminate();
    await this.#exited;
  }

  #spawn(isRestart: boolean, first?: { resolve: () => void; reject: (err: Error) => void }): void {
    // Faults are injected once; a restarted worker must be healthy or tests would loop.
    const workerData = isRestart ? { ...this.#config, faults: undefined } : this.#config;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_URL, { workerData, resourceLimits: WORKER_HEAP_LIMITS });
    } catch (err) {
      return this.#onSpawnFailed(err as Error, first);
    }
    this.#worker = worker;
    this.#ready = false;
    let markExited = (): void => {};
    this.#exited = new Promise((resolve) => (markExited = resolve));
    worker.on('message', (message: FromWorker) => this.#onMessage(worker, message, isRestart, first));
    worker.on('error', (err) => {
      this.#lastFatal ??= err.message;
      this.#handlers.onError(err);
    });
    worker.on('exit', (code) => {
      this.#onExit(worker, code, first);
      markExited();
    });
  }

  #onMessage(worker: Worker, message: FromWorker, isRestart: boolean, first?: { resolve: () => void }): void {
    if (message.type === 'ready' && worker === this.#worker) {
      this.#ready = true;
      this.#everReady = true;
      this.#handlers.onReady(isRestart);
      first?.resolve();
    } else if (message.type === 'fatal') {
      this.#lastFatal = message.error;
      if (this.#everReady)
        this.#handlers.onError(new Error(`usage writer worker could not open the store: ${message.error}`));
    } else {
      // Acks from a worker that since died are still true: the batch committed.
      this.#handlers.onMessage(message);
    }
  }

  #onExit(worker: Worker, code: number, first?: { reject: (err: Error) => void }): void {
    if (worker !== this.#worker) return;
    this.#worker = null;
    this.#ready = false;
    if (this.#stopping) return;
    if (!this.#everReady) {
      const reason = this.#lastFatal ?? `the worker exited with code ${code}`;
      first?.reject(new Error(`usage writer could not open the analytics store: ${reason}`));
      return;
    }
    this.#restarts += 1;
    this.#failuresInARow += 1;
    this.#handlers.onUnexpectedExit(code);
    const delay = backoffMs(this.#failuresInARow - 1, 20, 5_000);
    this.#restartTimer = setTimeout(() => this.#spawn(true), delay);
  }

  #onSpawnFailed(err: Error, first?: { reject: (err: Error) => void }): void {
    if (first) return first.reject(err);
    this.#handlers.onError(err);
    this.#failuresInARow += 1;
    this.#restartTimer = setTimeout(() => this.#spawn(true), backoffMs(this.#failuresInARow - 1, 20, 5_000));
  }

  #cancelRestart(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
  }
}
