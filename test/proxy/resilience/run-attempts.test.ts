import { describe, expect, it } from 'vitest';
import { Balancer } from '../../../proxy/resilience/balancer.ts';
import { CircuitBreakers } from '../../../proxy/resilience/circuit-breaker.ts';
import { StartedError } from '../../../proxy/resilience/run-attempts.ts';
import { coded, harness, single } from './attempt-harness.ts';

describe('runAttempts: retrying one candidate', () => {
  it('waits as a 429 says, then succeeds on the same deployment', async () => {
    const h = harness({ primary: [{ status: 429, headers: { 'retry-after': '2' } }, 200] });
    const result = await h.run({ candidates: single('primary') });
    expect(result).toMatchObject({ stop: 'ok', deployment: 'primary', error: null });
    expect(result.response?.status).toBe(200);
    expect(result.attempts).toEqual([
      { candidate: 'primary', deployment: 'primary', status: 429, delayMs: 0, latencyMs: 0 },
      { candidate: 'primary', deployment: 'primary', status: 200, delayMs: 2_000, latencyMs: 0 },
    ]);
    expect(h.calls).toEqual(['primary#0', 'primary#1']);
    expect(h.discarded).toEqual([429]);
  });

  it('returns a 400 at once, and a 503 that says x-should-retry: false', async () => {
    const h = harness({ primary: [400], other: [{ status: 503, headers: { 'x-should-retry': 'false' } }] });
    const bad = await h.run({ candidates: single('primary', 'other') });
    expect(bad).toMatchObject({ stop: 'not-retryable', deployment: 'primary' });
    expect(bad.response?.status).toBe(400);
    expect(bad.attempts).toHaveLength(1);
    const told = await h.run({ candidates: single('other') });
    expect(told).toMatchObject({ stop: 'not-retryable', attempts: [{ status: 503 }] });
  });

  it('retries connection failures with jittered backoff, but not a name that does not resolve', async () => {
    const h = harness({
      primary: [coded('ECONNRESET'), coded('ECONNREFUSED'), 200],
      typo: [coded('ENOTFOUND')],
    });
    const result = await h.run({ candidates: single('primary') });
    expect(result.stop).toBe('ok');
    expect(result.attempts.map((a) => a.error ?? a.status)).toEqual(['ECONNRESET', 'ECONNREFUSED', 200]);
    expect(h.slept[0]).toBeLessThan(500);
    expect(h.slept[1]).toBeLessThan(1_000);
    const typo = await h.run({ candidates: single('typo') });
    expect(typo).toMatchObject({ stop: 'not-retryable', response: null, attempts: [{ error: 'ENOTFOUND' }] });
    expect((typo.error as Error).message).toBe('ENOTFOUND');
  });

  it('gives up after maxRetries on the last candidate, returning the last response', async () => {
    const h = harness({ primary: [500, 502, 503, 504] });
    const result = await h.run({ candidates: single('primary') });
    expect(result).toMatchObject({ stop: 'exhausted', deployment: 'primary' });
    expect(result.response?.status).toBe(503);
    expect(h.discarded).toEqual([500, 502]);
    const once = await harness({ primary: [500] }).run({ candidates: single('primary'), maxRetries: 0 });
    expect(once).toMatchObject({ stop: 'exhausted', attempts: [{ status: 500 }] });
  });
});

describe('runAttempts: failing over', () => {
  it('moves to the fallback after three 500s on the primary', async () => {
    const h = harness({ primary: [500, 500, 500], fallback: [200] });
    const result = await h.run({ candidates: single('primary', 'fallback') });
    expect(result).toMatchObject({ stop: 'ok', deployment: 'fallback' });
    expect(h.calls).toEqual(['primary#0', 'primary#1', 'primary#2', 'fallback#3']);
    expect(result.attempts.map((a) => a.delayMs > 0)).toEqual([false, true, true, false]);
  });

  it('fails over rather than wait out a long retry-after; with nowhere to go, returns the 429', async () => {
    const long = { status: 429, headers: { 'retry-after': '600' } };
    const h = harness({ primary: [long, long], fallback: [200] });
    expect(await h.run({ candidates: single('primary', 'fallback') })).toMatchObject({
      stop: 'ok',
      deployment: 'fallback',
    });
    const alone = await h.run({ candidates: single('primary') });
    expect(alone).toMatchObject({ stop: 'wait-too-long', attempts: [{ status: 429 }] });
    expect(alone.response?.headers).toEqual({ 'retry-after': '600' });
    expect(h.slept).toEqual([]);
  });

  it('moves within a balancer group to a member not yet tried, without waiting', async () => {
    const group = new Balancer('weighted', [{ id: 'key-1' }, { id: 'key-2' }]);
    const h = harness({ 'key-1': [429], 'key-2': [200] });
    const result = await h.run({ candidates: [{ name: 'openai', balancer: group }] });
    expect(result).toMatchObject({ stop: 'ok', deployment: 'key-2' });
    expect(result.attempts.map((a) => [a.candidate, a.deployment, a.delayMs])).toEqual([
      ['openai', 'key-1', 0],
      ['openai', 'key-2', 0],
    ]);
    expect(group.stats().map((m) => m.inFlight)).toEqual([0, 0]);
    expect(group.stats()[0]?.latencyMs).toBe(10_000);
  });

  it('goes back to a tried member, after a wait, when the group has no other', async () => {
    const group = new Balancer('least-busy', [{ id: 'only' }]);
    const h = harness({ only: [503, 200] });
    const result = await h.run({ candidates: [{ name: 'group', balancer: group }] });
    expect(result.attempts.map((a) => a.deployment)).toEqual(['only', 'only']);
    expect(h.slept).toHaveLength(1);
  });
});

describe('runAttempts: circuit breakers', () => {
  it('skips a deployment whose breaker is open, and reports unavailable when all are', async () => {
    const breakers = new CircuitBreakers({ consecutiveFailures: 1 });
    breakers.get('primary').record(false);
    const h = harness({ fallback: [200] });
    const result = await h.run({ candidates: single('primary', 'fallback'), breakers });
    expect(result).toMatchObject({ stop: 'ok', deployment: 'fallback' });
    breakers.get('fallback').record(false);
    const none = await h.run({ candidates: single('primary', 'fallback'), breakers });
    expect(none).toMatchObject({ stop: 'unavailable', response: null, deployment: null, attempts: [] });
  });

  it('records health per attempt: 5xx against it, a 400 for it', async () => {
    const breakers = new CircuitBreakers();
    const h = harness({ primary: [500, 400] });
    await h.run({ candidates: single('primary'), breakers });
    expect(breakers.stats().primary).toMatchObject({ requests: 2, failures: 1, consecutiveFailures: 0 });
  });

  it('skips a group member its breaker refuses, even when the balancer does not know', async () => {
    const breakers = new CircuitBreakers({ consecutiveFailures: 1 });
    breakers.get('key-1').record(false);
    const group = new Balancer('weighted', [{ id: 'key-1' }, { id: 'key-2' }]);
    const h = harness({ 'key-2': [200] });
    const result = await h.run({ candidates: [{ name: 'g', balancer: group }], breakers });
    expect(result.deployment).toBe('key-2');
  });

  it('stops retrying a deployment once its own breaker opens', async () => {
    const breakers = new CircuitBreakers({ consecutiveFailures: 2 });
    const h = harness({ primary: [500, 500, 500], fallback: [200] });
    const result = await h.run({ candidates: single('primary', 'fallback'), breakers });
    expect(h.calls).toEqual(['primary#0', 'primary#1', 'fallback#2']);
    expect(result.stop).toBe('ok');
  });
});

describe('runAttempts: responses already under way', () => {
  it('never retries a response that started reaching the client', async () => {
    const h = harness({
      primary: [{ status: 500, started: true }],
      stream: [{ status: 200, started: true }],
    });
    const failed = await h.run({ candidates: single('primary', 'fallback') });
    expect(failed).toMatchObject({ stop: 'started', attempts: [{ status: 500 }] });
    expect((await h.run({ candidates: single('stream') })).stop).toBe('ok');
  });

  it('never retries a stream error raised after bytes went out, but blames the deployment', async () => {
    const breakers = new CircuitBreakers();
    const h = harness({ primary: [new StartedError(coded('ECONNRESET'))] });
    const result = await h.run({ candidates: single('primary', 'fallback'), breakers });
    expect(result).toMatchObject({ stop: 'started', attempts: [{ error: 'ECONNRESET' }] });
    expect(breakers.stats().primary?.failures).toBe(1);
  });
});
