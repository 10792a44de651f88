import type { WriterActivity } from './usage-writer-options.ts';

/** Delivers errors and activity to the embedder's callbacks; a callback that throws cannot hurt the writer. */
export class WriterNotifier {
  readonly #onError: ((err: Error) => void) | undefined;
  readonly #onActivity: ((activity: WriterActivity) => void) | undefined;

  constructor(onError?: (err: Error) => void, onActivity?: (activity: WriterActivity) => void) {
    this.#onError = onError;
    this.#onActivity = onActivity;
  }

  report(err: unknown): void {
    try {
      this.#onError?.(err instanceof Error ? err : new Error(String(err)));
    } catch {
      // Nowhere left to report to; swallowing keeps record() from ever throwing.
    }
  }

  emit(activity: WriterActivity): void {
    try {
      this.#onActivity?.(activity);
    } catch (err) {
      this.report(err);
    }
  }
}

/** One-shot timers that close() can cancel together. */
export class TimerSet {
  readonly #timers = new Set<NodeJS.Timeout>();

  later(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, delayMs);
    this.#timers.add(timer);
  }

  clear(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
