import { join } from 'node:path';
import type { UsageEvent, UsageSink } from '../../contracts/usage.ts';
import { DeliveryLedger } from './ledger.ts';
import type { FromWorker } from './protocol.ts';
import { backoffMs } from './protocol.ts';
import { SpillAppender } from './spill-appender.ts';
import { REJECTED_NAME, ensureSpillDir, listSealedSpills, sealLeftoverActive } from './spill-files.ts';
import { WorkerHost } from './worker-host.ts';
import { TimerSet, WriterNotifier } from './writer-support.ts';
import { acquireWriterLock, type WriterLock } from './writer-lock.ts';
import type { Counters, UsageWriterOptions, UsageWriterStats } from './usage-writer-options.ts';
import { DEFAULTS, definedOnly, withinTime, zeroCounters } from './usage-writer-options.ts';

export type { UsageWriterOptions, UsageWriterStats, WriterActivity } from './usage-writer-options.ts';

/**
 * The proxy's usage sink. record() only buffers; batches go to a worker thread
 * that owns the SQLite connection. Nothing recorded is lost: unacknowledged
 * batches stay in memory until committed (and are re-sent to a restarted
 * worker), and when the database falls behind they go to an append-only spill
 * file that is replayed once it catches up, or at the next start.
 */
export class UsageWriter implements UsageSink {
  readonly #settings: typeof DEFAULTS;
  readonly #ledger = new DeliveryLedger();
  readonly #spill: SpillAppender;
  readonly #host: WorkerHost;
  readonly #counts: Counters = zeroCounters();
  readonly #timers = new TimerSet();
  readonly #notify: WriterNotifier;
  #buffer: UsageEvent[] = [];
  #seq = 0;
  #flushTimer: NodeJS.Timeout | null = null;
  #spilling = false;
  #closed = false;
  #closing: Promise<void> | null = null;
  #replayRetries = 0;
  readonly #lock: WriterLock;

  static async start(options: UsageWriterOptions): Promise<UsageWriter> {
    const spillDir = ensureSpillDir(options.dataDir);
    const lock = acquireWriterLock(options.dataDir);
    const writer = new UsageWriter(options, spillDir, lock);
    try {
      await writer.#host.start();
    } catch (err) {
      lock.release();
      throw err;
    }
    return writer;
  }

  private constructor(options: UsageWriterOptions, spillDir: string, lock: WriterLock) {
    this.#lock = lock;
    this.#notify = new WriterNotifier(options.onError, options.onActivity);
    this.#settings = { ...DEFAULTS, ...definedOnly(options) };
    this.#spill = new SpillAppender(spillDir, (err) => this.#notify.report(err));
    this.#adoptLeftoverSpills(spillDir);
    const config = {
      dbFile: options.dbFile ?? join(options.dataDir, 'analytics.db'),
      rejectedFile: join(spillDir, REJECTED_NAME),
      busyTimeoutMs: this.#settings.busyTimeoutMs,
      replayChunkSize: this.#settings.replayChunkSize,
      faults: options.faults,
    };
    this.#host = new WorkerHost(config, {
      onMessage: (message) => this.#onWorkerMessage(message),
      onReady: (restart) => this.#onWorkerReady(restart),
      onUnexpectedExit: (code) => this.#onWorkerExit(code),
      onError: (err) => this.#notify.report(err),
    });
  }

  /** Hot path: buffers the event; never awaits, never throws. */
  record(event: UsageEvent): void {
    try {
      if (this.#closed) return this.#drop(event);
      this.#counts.recorded += 1;
      this.#buffer.push(event);
      if (this.#buffer.length >= this.#settings.batchSize) this.#dispatchBuffer();
      else this.#flushTimer ??= setTimeout(() => this.#dispatchBuffer(), this.#settings.flushIntervalMs);
    } catch (err) {
      this.#notify.report(err);
    }
  }

  /** Resolves once everything recorded before the call is committed to the database. */
  async flush(): Promise<void> {
    this.#dispatchBuffer();
    const mark = this.#seq;
    if (this.#spill.minSeq <= mark) await this.#sealAndReplay();
    return this.#ledger.waitUntilDurable(mark, this.#spill.minSeq);
  }

  /** Flushes, replays and stops the worker; later record() calls are dropped and reported. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  stats(): UsageWriterStats {
    const pending = this.#buffer.length + this.#ledger.inFlightEvents;
    return { ...this.#counts, pending, workerRestarts: this.#host.restarts };
  }

  /** For tests and recovery drills: kill the worker as a crash would; it restarts and redoes its work. */
  terminateWorker(): Promise<void> {
    return this.#host.terminate();
  }

  #adoptLeftoverSpills(spillDir: string): void {
    sealLeftoverActive(spillDir);
    // minSeq 0: no flush counts as done until an earlier process's events are in.
    for (const file of listSealedSpills(spillDir)) this.#ledger.addSealed(file, 0, true);
  }

  #dispatchBuffer(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#buffer.length === 0) return;
    const events = this.#buffer;
    this.#buffer = [];
    this.#seq += 1;
    this.#route(this.#seq, events);
  }

  #route(seq: number, events: UsageEvent[]): void {
    this.#endSpillIfCaughtUp();
    const inFlight = this.#ledger.inFlightEvents;
    const behind = inFlight > 0 && inFlight + events.length > this.#settings.maxPendingEvents;
    if (this.#spilling || behind) return this.#spillBatch(seq, events);
    this.#ledger.addInFlight(seq, events);
    this.#postBatch(seq, events);
  }

  #postBatch(seq: number, events: UsageEvent[]): void {
    try {
      this.#host.post({ type: 'batch', batchId: seq, events });
    } catch (err) {
      // Not structured-cloneable (e.g. a class instance with methods): send its JSON form.
      this.#notify.report(err);
      this.#host.post({ type: 'batch', batchId: seq, events: JSON.parse(JSON.stringify(events)) });
    }
  }

  #spillBatch(seq: number, events: UsageEvent[]): void {
    this.#spilling = true;
    this.#counts.spilled += events.length;
    this.#spill.append(seq, events, (err) => this.#onSpillFailed(seq, events, err));
  }

  /** The disk refused too: keep the batch in memory and offer it to the worker again shortly. */
  #onSpillFailed(seq: number, events: UsageEvent[], err: Error): void {
    this.#counts.spilled -= events.length;
    this.#notify.report(err);
    this.#ledger.addInFlight(seq, events);
    this.#timers.later(1_000, () => this.#postBatch(seq, events));
  }

  #endSpillIfCaughtUp(): void {
    if (this.#ledger.inFlightEvents > 0) return;
    this.#spilling = false;
    if (this.#spill.hasData) void this.#sealAndReplay();
  }

  async #sealAndReplay(): Promise<void> {
    try {
      const sealed = await this.#spill.seal((info) => {
        this.#ledger.addSealed(info.file, info.minSeq, false);
        this.#notify.emit({ type: 'spill-sealed', file: info.file, events: info.events });
      });
      if (!sealed) return;
      this.#ledger.markReadable(sealed.file);
      this.#host.post({ type: 'replay', file: sealed.file });
    } catch (err) {
      this.#notify.report(err);
    }
  }

  #onWorkerMessage(message: FromWorker): void {
    if (message.type === 'batch-ack') this.#onBatchAck(message);
    if (message.type === 'batch-failed') this.#onBatchFailed(message);
    if (message.type === 'replay-progress') this.#countReplayed(message.file, message.eventsDone);
    if (message.type === 'replay-done') this.#onReplayDone(message);
    if (message.type === 'replay-failed') this.#onReplayFailed(message);
    if (message.type !== 'ready' && message.type !== 'fatal') this.#notify.emit(message);
    this.#endSpillIfCaughtUp();
    this.#ledger.settle(() => this.#spill.minSeq);
  }

  #onBatchAck(message: Extract<FromWorker, { type: 'batch-ack' }>): void {
    const events = this.#ledger.takeInFlight(message.batchId);
    if (!events) return; // a re-sent batch acknowledged twice
    this.#host.noteProgress();
    this.#counts.committed += events.length - message.rejected;
    this.#countRejected(message.rejected);
  }

  #onBatchFailed(message: Extract<FromWorker, { type: 'batch-failed' }>): void {
    const events = this.#ledger.takeInFlight(message.batchId);
    if (!events) return;
    this.#notify.report(
      new Error(`usage batch of ${events.length} events failed (${message.error}); spilled to disk`),
    );
    this.#spillBatch(message.batchId, events);
  }

  #countReplayed(file: string, eventsDone: number): void {
    this.#counts.replayed += this.#ledger.replayProgress(file, eventsDone);
  }

  #onReplayDone(message: Extract<FromWorker, { type: 'replay-done' }>): void {
    this.#countReplayed(message.file, message.eventsDone);
    this.#ledger.removeSealed(message.file);
    this.#host.noteProgress();
    this.#replayRetries = 0;
    this.#countRejected(message.rejected);
    if (message.skippedLines === 0) return;
    this.#counts.skippedLines += message.skippedLines;
    this.#notify.report(
      new Error(`${message.skippedLines} unreadable line(s) skipped in ${message.file} (torn write)`),
    );
  }

  #onReplayFailed(message: Extract<FromWorker, { type: 'replay-failed' }>): void {
    this.#notify.report(new Error(`replaying ${message.file} failed (${message.error}); will retry`));
    this.#ledger.markFailed(message.file, true);
    this.#timers.later(backoffMs(this.#replayRetries++, 250, 30_000), () => {
      this.#ledger.markFailed(message.file, false);
      this.#host.post({ type: 'replay', file: message.file });
    });
  }

  #countRejected(rejected: number): void {
    if (rejected === 0) return;
    this.#counts.rejected += rejected;
    this.#notify.report(
      new Error(`${rejected} usage event(s) refused by the database; kept in ${REJECTED_NAME}`),
    );
  }

  /** A fresh worker knows nothing: hand it every spill file and unacknowledged batch again. */
  #onWorkerReady(restart: boolean): void {
    for (const file of this.#ledger.replayableFiles()) this.#host.post({ type: 'replay', file });
    for (const [seq, events] of this.#ledger.inFlightBatches()) this.#postBatch(seq, events);
    this.#notify.emit({ type: 'worker-ready', restart });
  }

  #onWorkerExit(code: number): void {
    const unacked = this.#ledger.inFlightEvents;
    this.#notify.report(
      new Error(`usage writer worker exited (code ${code}); restarting, ${unacked} events to re-send`),
    );
    this.#notify.emit({ type: 'worker-exit', code });
  }

  async #shutdown(): Promise<void> {
    const drained = await withinTime(this.#drain(), this.#settings.shutdownTimeoutMs);
    if (drained) await this.#host.stop();
    else await this.#abandonToSpill();
    this.#timers.clear();
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#lock.release();
  }

  async #drain(): Promise<void> {
    await this.flush();
    this.#closed = true; // from here record() drops; a second flush catches stragglers
    await this.flush();
  }

  /** The database stayed unavailable: leave what is left in the spill file for the next start. */
  async #abandonToSpill(): Promise<void> {
    this.#closed = true;
    await this.#host.forceStop();
    await this.#spill.closeUnsealed();
    const leftovers = [...this.#buffer, ...this.#ledger.inFlightEventList()];
    this.#spill.persistNow(leftovers);
    this.#notify.report(
      new Error(
        `usage writer closed before the database caught up; ${leftovers.length} events kept in the spill file`,
      ),
    );
  }

  #drop(event: UsageEvent): void {
    this.#counts.dropped += 1;
    this.#notify.report(new Error(`usage event ${event?.id} recorded after close(); dropped`));
  }
}
