import { setTimeout as delay } from 'node:timers/promises';

/** The overall time a request may take, across all of its attempts and the waits between them. */
export class Deadline {
  private readonly end: number;
  private readonly now: () => number;

  /** `totalMs` may be Infinity for a request with no deadline. */
  constructor(totalMs: number, now: () => number = Date.now) {
    this.now = now;
    this.end = now() + totalMs;
  }

  remainingMs(): number {
    return Math.max(0, this.end - this.now());
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /** One attempt's timeout: its own limit, but never past the overall deadline. */
  attemptTimeoutMs(perAttemptMs = Infinity): number {
    return Math.min(perAttemptMs, this.remainingMs());
  }
}

/** Runs `fire` after `ms` and returns a function that cancels it: injectable for tests. */
export type Schedule = (fire: () => void, ms: number) => () => void;

const realSchedule: Schedule = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
};

export interface AttemptSignal {
  signal: AbortSignal;
  /** Stops the timer and lets go of the caller's signal; call it once the attempt has settled. */
  dispose(): void;
}

/**
 * A signal that aborts when the caller's does, or with a TimeoutError (as AbortSignal.timeout
 * would) once `timeoutMs` has passed. Built by hand rather than with AbortSignal.any and
 * AbortSignal.timeout because their timer cannot be cancelled: every attempt would leave one
 * pending for the full timeout, and a listener on the caller's signal, long after it finished.
 */
export function attemptSignal(
  parent: AbortSignal | undefined,
  timeoutMs: number,
  schedule: Schedule = realSchedule,
): AttemptSignal {
  const controller = new AbortController();
  if (parent?.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const onParentAbort = (): void => controller.abort(parent?.reason);
  parent?.addEventListener('abort', onParentAbort, { once: true });
  const cancel = Number.isFinite(timeoutMs)
    ? schedule(
        () => controller.abort(new DOMException(`attempt timed out after ${timeoutMs} ms`, 'TimeoutError')),
        Math.max(0, timeoutMs),
      )
    : () => {};
  return {
    signal: controller.signal,
    dispose: () => {
      cancel();
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** Waits `ms`, rejecting early if the signal aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : {});
};
