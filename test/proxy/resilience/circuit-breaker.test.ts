import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  CircuitBreakers,
  countsAsFailure,
} from '../../../proxy/resilience/circuit-breaker.ts';

function clock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

const coded = (code: string) => Object.assign(new Error(code), { code });

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) breaker.record(false);
}

describe('countsAsFailure', () => {
  it('blames the deployment for 408, 429 and 5xx, not for 4xx the request caused', () => {
    for (const status of [408, 429, 500, 503, 529]) expect(countsAsFailure(status)).toBe(true);
    for (const status of [200, 400, 401, 404, 409, 413, 422]) expect(countsAsFailure(status)).toBe(false);
  });

  it('blames it for timeouts and connection errors, not for the caller leaving or our own bugs', () => {
    for (const code of [
      'ECONNRESET',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'UND_ERR_SOCKET',
      'UND_ERR_BODY_TIMEOUT',
    ]) {
      expect(countsAsFailure(coded(code))).toBe(true);
    }
    expect(countsAsFailure(Object.assign(coded('APEX_UPSTREAM_TIMEOUT'), { phase: 'body' }))).toBe(true);
    expect(countsAsFailure(new DOMException('slow', 'TimeoutError'))).toBe(true);
    expect(countsAsFailure(coded('APEX_CANCELLED'))).toBe(false);
    expect(countsAsFailure(coded('UND_ERR_ABORTED'))).toBe(false);
    expect(countsAsFailure(coded('ERR_INVALID_ARG_TYPE'))).toBe(false);
    expect(countsAsFailure(new DOMException('gone', 'AbortError'))).toBe(false);
    expect(countsAsFailure(new TypeError('undefined is not a function'))).toBe(false);
  });
});

describe('CircuitBreaker', () => {
  it('opens after consecutive failures, and a success in between resets the streak', () => {
    const { now } = clock();
    const breaker = new CircuitBreaker({ now });
    fail(breaker, 4);
    breaker.record(true);
    fail(breaker, 4);
    expect(breaker.state()).toBe('closed');
    breaker.record(false);
    expect(breaker.state()).toBe('open');
    expect(breaker.allow()).toBe(false);
    expect(breaker.available()).toBe(false);
  });

  it('opens on the failure share once the window holds enough calls', () => {
    const { now } = clock();
    const breaker = new CircuitBreaker({ now, consecutiveFailures: 100 });
    for (let i = 0; i < 4; i++) {
      breaker.record(true);
      breaker.record(false);
    }
    expect(breaker.state()).toBe('closed'); // 8 calls: below minRequests
    breaker.record(true);
    expect(breaker.state()).toBe('closed'); // 4 of 9
    breaker.record(false);
    expect(breaker.state()).toBe('open'); // 5 of 10
    expect(breaker.stats()).toMatchObject({ state: 'open', opened: 1, requests: 10, failures: 5 });
  });

  it('forgets failures that slid out of the window', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ now: time.now, consecutiveFailures: 100 });
    fail(breaker, 9);
    time.advance(31_000);
    breaker.record(false);
    expect(breaker.stats()).toMatchObject({ state: 'closed', requests: 1, failures: 1 });
  });

  it('goes half-open after the cooldown, lets one probe through, and closes on its success', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ now: time.now });
    fail(breaker, 5);
    time.advance(29_999);
    expect(breaker.state()).toBe('open');
    time.advance(1);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    expect(breaker.stats().probesInFlight).toBe(1);
    breaker.record(true);
    expect(breaker.state()).toBe('closed');
    expect(breaker.stats()).toMatchObject({ consecutiveFailures: 0, cooldownMs: 30_000, openUntil: null });
  });

  it('re-opens on a failed probe, doubling the cooldown up to five minutes, and resets it on closing', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ now: time.now });
    fail(breaker, 5);
    const cooldowns: number[] = [];
    for (let i = 0; i < 6; i++) {
      time.advance(breaker.stats().cooldownMs);
      expect(breaker.allow()).toBe(true);
      breaker.record(false);
      cooldowns.push(breaker.stats().cooldownMs);
      expect(breaker.stats().openUntil).toBe(time.now() + breaker.stats().cooldownMs);
    }
    expect(cooldowns).toEqual([60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
    time.advance(300_000);
    breaker.allow();
    breaker.record(true);
    fail(breaker, 5);
    expect(breaker.stats()).toMatchObject({ state: 'open', cooldownMs: 30_000, opened: 8 });
  });

  it('frees a half-open slot when the probe is abandoned, and allows several probes when asked', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ now: time.now, probes: 2, cooldownMs: 1_000 });
    fail(breaker, 5);
    breaker.release(); // open: nothing to free
    time.advance(1_000);
    expect([breaker.allow(), breaker.allow(), breaker.allow()]).toEqual([true, true, false]);
    breaker.release();
    expect(breaker.available()).toBe(true);
    expect(breaker.allow()).toBe(true);
    breaker.release();
    breaker.release();
    breaker.release();
    expect(breaker.stats().probesInFlight).toBe(0);
  });

  it('ignores outcomes that straggle in while open', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ now: time.now });
    fail(breaker, 5);
    breaker.record(true);
    fail(breaker, 3);
    expect(breaker.stats()).toMatchObject({ state: 'open', opened: 1 });
    time.advance(30_000);
    breaker.record(true); // half-open, no probe taken: still proves it answers
    expect(breaker.state()).toBe('closed');
  });

  it('lets every call through while closed', () => {
    const breaker = new CircuitBreaker();
    expect(breaker.allow()).toBe(true);
    breaker.release();
    expect(breaker.state()).toBe('closed');
  });
});

describe('CircuitBreakers', () => {
  it('keeps one breaker per deployment, reports them, and drops the unconfigured', () => {
    const { now } = clock();
    const breakers = new CircuitBreakers({ now, consecutiveFailures: 1 });
    expect(breakers.available('azure-east')).toBe(true);
    expect(breakers.stats()).toEqual({});
    breakers.get('azure-east').record(false);
    breakers.get('openai').record(true);
    expect(breakers.get('azure-east')).toBe(breakers.get('azure-east'));
    expect(breakers.available('azure-east')).toBe(false);
    expect(breakers.available('openai')).toBe(true);
    expect(breakers.stats()).toMatchObject({
      'azure-east': { state: 'open', failures: 1 },
      openai: { state: 'closed', requests: 1 },
    });
    breakers.retainOnly(['openai']);
    expect(Object.keys(breakers.stats())).toEqual(['openai']);
  });
});
