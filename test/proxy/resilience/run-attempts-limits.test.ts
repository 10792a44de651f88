import { describe, expect, it } from 'vitest';
import { Balancer } from '../../../proxy/resilience/balancer.ts';
import { CircuitBreakers } from '../../../proxy/resilience/circuit-breaker.ts';
import { Deadline } from '../../../proxy/resilience/deadline.ts';
import { RetryBudget } from '../../../proxy/resilience/retry-policy.ts';
import { runAttempts } from '../../../proxy/resilience/run-attempts.ts';
import { harness, single, type Reply } from './attempt-harness.ts';

describe('runAttempts: deadline, budget and the caller', () => {
  it('will not wait past the deadline', async () => {
    const h = harness({ primary: [{ status: 503, headers: { 'retry-after-ms': '800' } }] });
    const deadline = new Deadline(500, h.now);
    const result = await h.run({ candidates: single('primary'), deadline });
    expect(result).toMatchObject({ stop: 'deadline', attempts: [{ status: 503 }] });
    expect(result.response?.status).toBe(503);
  });

  it('makes no attempt once the deadline has passed', async () => {
    const h = harness({});
    const deadline = new Deadline(100, h.now);
    h.advance(100);
    expect(await h.run({ candidates: single('primary'), deadline })).toMatchObject({
      stop: 'deadline',
      attempts: [],
    });
  });

  it('retries an attempt that timed out on its own limit, within the deadline', async () => {
    const hang = (signal: AbortSignal) =>
      new Promise<Reply>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const breakers = new CircuitBreakers();
    const h = harness({ primary: [hang, 200] });
    const running = h.run({ candidates: single('primary'), perAttemptMs: 1_000, breakers });
    await Promise.resolve();
    h.timers[0]?.();
    const result = await running;
    expect(result.attempts.map((a) => a.error ?? a.status)).toEqual(['TimeoutError', 200]);
    expect(breakers.stats().primary).toMatchObject({ requests: 2, failures: 1 });
  });

  it('leaves the timeout to a sender that enforces it: no timer, a signal that never aborts', async () => {
    const seen: Array<{ timeoutMs: number; aborted: boolean }> = [];
    const h = harness({});
    const result = await h.run({
      candidates: single('primary'),
      deadline: new Deadline(5_000, h.now),
      perAttemptMs: 1_000,
      sendEnforcesTimeout: true,
      send: async (_deployment, _attempt, signal, timeoutMs) => {
        seen.push({ timeoutMs, aborted: signal.aborted });
        return { kind: 'response', status: 200, headers: {}, started: false, body: 'ok' };
      },
    });
    expect(result.stop).toBe('ok');
    expect(seen).toEqual([{ timeoutMs: 1_000, aborted: false }]);
    expect(h.timers).toHaveLength(0);
  });

  it('stops when the overall deadline cuts an attempt short, without blaming the deployment', async () => {
    const breakers = new CircuitBreakers();
    const hang = (signal: AbortSignal) =>
      new Promise<Reply>((_, reject) =>
        signal.addEventListener('abort', () => {
          h.advance(2_000);
          reject(signal.reason);
        }),
      );
    const h = harness({ primary: [hang] });
    const deadline = new Deadline(2_000, h.now);
    const running = h.run({ candidates: single('primary', 'fallback'), deadline, breakers });
    await Promise.resolve();
    h.timers[0]?.();
    expect(await running).toMatchObject({ stop: 'deadline', attempts: [{ error: 'TimeoutError' }] });
    expect(breakers.stats().primary).toMatchObject({ requests: 0, failures: 0 });
  });

  it('stops retrying when the budget is spent, but still fails over', async () => {
    const budget = new RetryBudget({ minPerSecond: 0, ratio: 0 });
    const h = harness({ primary: [503, 503], fallback: [200] });
    const alone = await h.run({ candidates: single('primary'), budget });
    expect(alone).toMatchObject({ stop: 'budget', attempts: [{ status: 503 }] });
    const withFallback = await h.run({ candidates: single('primary', 'fallback'), budget });
    expect(withFallback).toMatchObject({ stop: 'ok', deployment: 'fallback' });
  });

  it('spends the budget one token per retry, and deposits one per request', async () => {
    const budget = new RetryBudget({ minPerSecond: 0, ratio: 1, now: () => 0 });
    const h = harness({ primary: [503, 503, 200] });
    const result = await h.run({ candidates: single('primary'), budget });
    expect(result).toMatchObject({ stop: 'budget' });
    expect(result.attempts).toHaveLength(2);
  });

  it('stops, releasing a half-open probe, when the caller goes away mid-attempt', async () => {
    const caller = new AbortController();
    const breakers = new CircuitBreakers({ consecutiveFailures: 1, cooldownMs: 0 });
    breakers.get('primary').record(false);
    const leave = async (): Promise<Reply> => {
      caller.abort();
      throw new DOMException('aborted', 'AbortError');
    };
    const group = new Balancer('least-busy', [{ id: 'primary' }]);
    const h = harness({ primary: [leave] });
    const result = await h.run({
      candidates: [{ name: 'g', balancer: group }],
      breakers,
      signal: caller.signal,
    });
    expect(result).toMatchObject({ stop: 'aborted', attempts: [{ error: 'AbortError' }] });
    expect(breakers.stats().primary).toMatchObject({ state: 'half-open', probesInFlight: 0 });
    expect(group.stats()[0]).toMatchObject({ inFlight: 0, latencyMs: null });
    expect((await h.run({ candidates: single('primary'), signal: caller.signal })).attempts).toEqual([]);
  });

  it('stops when the caller goes away during the wait', async () => {
    const h = harness({ primary: [503] });
    const result = await h.run({
      candidates: single('primary'),
      sleep: () => Promise.reject(new DOMException('aborted', 'AbortError')),
    });
    expect(result).toMatchObject({ stop: 'aborted', attempts: [{ status: 503 }] });
  });

  it('treats an unexpected error as final, without blaming the deployment', async () => {
    const breakers = new CircuitBreakers();
    const h = harness({ primary: [new TypeError('bug')] });
    const result = await h.run({ candidates: single('primary'), breakers });
    expect(result).toMatchObject({ stop: 'not-retryable', attempts: [{ error: 'TypeError' }] });
    expect(breakers.stats().primary).toMatchObject({ requests: 0 });
  });

  it('runs with defaults alone: real clock, real sleep, no deadline', async () => {
    const result = await runAttempts({
      candidates: [{ name: 'primary' }],
      delay: { baseMs: 1 },
      send: async (_deployment, attempt) => ({
        kind: 'response' as const,
        status: attempt === 0 ? 503 : 200,
        headers: {},
        started: false,
      }),
    });
    expect(result).toMatchObject({ stop: 'ok', attempts: [{ status: 503 }, { status: 200 }] });
  });
});
