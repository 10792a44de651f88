import type { UsageEvent } from '../../contracts/usage.ts';

interface SealedSpill {
  /** Smallest batch sequence number inside; 0 for files left by an earlier process. */
  minSeq: number;
  /** The append stream is closed, so the worker may read the file. */
  readable: boolean;
  failed: boolean;
  eventsDone: number;
}

interface Waiter {
  mark: number;
  resolve: () => void;
}

/**
 * Where every batch is until it is durable in the database: in flight to the
 * worker, or in a spill file awaiting replay. Batches carry increasing sequence
 * numbers, so "everything recorded so far" is "every batch up to a mark".
 */
export class DeliveryLedger {
  /** Batches handed to the worker and not yet acknowledged; kept so a new worker can redo them. */
  readonly #inFlight = new Map<number, UsageEvent[]>();
  readonly #sealed = new Map<string, SealedSpill>();
  #inFlightEvents = 0;
  #waiters: Waiter[] = [];

  get inFlightEvents(): number {
    return this.#inFlightEvents;
  }

  addInFlight(seq: number, events: UsageEvent[]): void {
    this.#inFlight.set(seq, events);
    this.#inFlightEvents += events.length;
  }

  takeInFlight(seq: number): UsageEvent[] | undefined {
    const events = this.#inFlight.get(seq);
    if (!events) return undefined;
    this.#inFlight.delete(seq);
    this.#inFlightEvents -= events.length;
    return events;
  }

  /** Oldest first, so a restarted worker commits in the original order. */
  inFlightBatches(): [number, UsageEvent[]][] {
    return [...this.#inFlight.entries()].sort(([a], [b]) => a - b);
  }

  inFlightEventList(): UsageEvent[] {
    return this.inFlightBatches().flatMap(([, events]) => events);
  }

  addSealed(file: string, minSeq: number, readable: boolean): void {
    this.#sealed.set(file, { minSeq, readable, failed: false, eventsDone: 0 });
  }

  markReadable(file: string): void {
    const spill = this.#sealed.get(file);
    if (spill) spill.readable = true;
  }

  markFailed(file: string, failed: boolean): void {
    const spill = this.#sealed.get(file);
    if (spill) spill.failed = failed;
  }

  /** Files the worker should replay now (readable and not waiting out a failure). */
  replayableFiles(): string[] {
    return [...this.#sealed.entries()].filter(([, s]) => s.readable && !s.failed).map(([file]) => file);
  }

  failedFiles(): string[] {
    return [...this.#sealed.entries()].filter(([, s]) => s.failed).map(([file]) => file);
  }

  /** Progress is cumulative per file; a replay redone after a worker restart is not counted twice. */
  replayProgress(file: string, eventsDone: number): number {
    const spill = this.#sealed.get(file);
    if (!spill || eventsDone <= spill.eventsDone) return 0;
    const delta = eventsDone - spill.eventsDone;
    spill.eventsDone = eventsDone;
    return delta;
  }

  removeSealed(file: string): void {
    this.#sealed.delete(file);
  }

  get sealedCount(): number {
    return this.#sealed.size;
  }

  /** True when every batch numbered <= mark is committed to the database. */
  isDurableThrough(mark: number, activeSpillMinSeq: number): boolean {
    if (activeSpillMinSeq <= mark) return false;
    for (const seq of this.#inFlight.keys()) if (seq <= mark) return false;
    for (const spill of this.#sealed.values()) if (spill.minSeq <= mark) return false;
    return true;
  }

  waitUntilDurable(mark: number, activeSpillMinSeq: number): Promise<void> {
    if (this.isDurableThrough(mark, activeSpillMinSeq)) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ mark, resolve }));
  }

  /** Re-checks waiting flushes; call after anything became durable. A getter, as it is rarely needed. */
  settle(activeSpillMinSeq: () => number): void {
    if (this.#waiters.length === 0) return;
    const minSeq = activeSpillMinSeq();
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (this.isDurableThrough(waiter.mark, minSeq)) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }
}
