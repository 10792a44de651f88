import { describe, expect, it } from 'vitest';
import { attemptSignal, Deadline, sleep, type Schedule } from '../../../proxy/resilience/deadline.ts';

function fakeTimers() {
  const pending = new Map<number, { fire: () => void; ms: number }>();
  let next = 0;
  const schedule: Schedule = (fire, ms) => {
    const id = next++;
    pending.set(id, { fire, ms });
    return () => pending.delete(id);
  };
  const fireAll = () => {
    for (const [id, timer] of pending) {
      pending.delete(id);
      timer.fire();
    }
  };
  return { schedule, pending, fireAll };
}

describe('Deadline', () => {
  it('counts down on the injected clock and bounds each attempt', () => {
    let time = 500;
    const deadline = new Deadline(10_000, () => time);
    expect(deadline.remainingMs()).toBe(10_000);
    expect(deadline.attemptTimeoutMs(3_000)).toBe(3_000);
    time += 8_000;
    expect(deadline.attemptTimeoutMs(3_000)).toBe(2_000);
    expect(deadline.attemptTimeoutMs()).toBe(2_000);
    expect(deadline.expired()).toBe(false);
    time += 2_000;
    expect(deadline.expired()).toBe(true);
    time += 1_000;
    expect(deadline.remainingMs()).toBe(0);
  });

  it('can be unbounded', () => {
    const deadline = new Deadline(Infinity);
    expect(deadline.expired()).toBe(false);
    expect(deadline.attemptTimeoutMs(250)).toBe(250);
    expect(deadline.attemptTimeoutMs()).toBe(Infinity);
  });
});

describe('attemptSignal', () => {
  it('aborts with a TimeoutError when its timer fires', () => {
    const timers = fakeTimers();
    const { signal } = attemptSignal(undefined, 1_500, timers.schedule);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([1_500]);
    expect(signal.aborted).toBe(false);
    timers.fireAll();
    expect(signal.aborted).toBe(true);
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('follows the caller’s signal, and lets go of it and the timer once disposed', () => {
    const timers = fakeTimers();
    const caller = new AbortController();
    const attempt = attemptSignal(caller.signal, 1_000, timers.schedule);
    caller.abort(new Error('client left'));
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe('client left');

    const second = new AbortController();
    const disposed = attemptSignal(second.signal, 1_000, timers.schedule);
    disposed.dispose();
    expect(timers.pending.size).toBe(1); // only the first attempt's timer is left
    second.abort();
    expect(disposed.signal.aborted).toBe(false);
  });

  it('starts aborted for an already aborted caller, and sets no timer without a limit', () => {
    const timers = fakeTimers();
    const caller = new AbortController();
    caller.abort('gone');
    const attempt = attemptSignal(caller.signal, 1_000, timers.schedule);
    expect(attempt.signal.reason).toBe('gone');
    attempt.dispose();
    const unbounded = attemptSignal(undefined, Infinity, timers.schedule);
    expect(timers.pending.size).toBe(0);
    unbounded.dispose();
  });

  it('uses real timers by default', async () => {
    const { signal } = attemptSignal(undefined, 0);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    const kept = attemptSignal(undefined, 60_000);
    kept.dispose();
    expect(kept.signal.aborted).toBe(false);
  });
});

describe('sleep', () => {
  it('resolves, or rejects once its signal aborts', async () => {
    await expect(sleep(0)).resolves.toBeUndefined();
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow();
  });
});
