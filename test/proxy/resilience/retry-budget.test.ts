import { describe, expect, it } from 'vitest';
import { RetryBudget } from '../../../proxy/resilience/retry-policy.ts';

function clock(start = 0) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

function spend(budget: RetryBudget): number {
  let granted = 0;
  while (budget.tryWithdraw()) granted++;
  return granted;
}

describe('RetryBudget', () => {
  it('grants the reserve of minPerSecond * window to a quiet client', () => {
    const { now } = clock();
    expect(spend(new RetryBudget({ now }))).toBe(100);
    expect(spend(new RetryBudget({ now, minPerSecond: 1, windowMs: 5_000 }))).toBe(5);
  });

  it('adds 20% of recent requests on top of the reserve', () => {
    const { now } = clock();
    const budget = new RetryBudget({ now, minPerSecond: 0 });
    for (let i = 0; i < 1_000; i++) budget.deposit();
    expect(budget.available()).toBeCloseTo(200);
    expect(spend(budget)).toBe(200);
    expect(budget.tryWithdraw()).toBe(false);
    budget.deposit();
    expect(budget.tryWithdraw()).toBe(false);
    for (let i = 0; i < 4; i++) budget.deposit();
    expect(budget.tryWithdraw()).toBe(true);
  });

  it('lets deposits and withdrawals expire after the window, so an outage does not starve it for good', () => {
    const time = clock(1_000_000);
    const budget = new RetryBudget({ now: time.now, minPerSecond: 1, windowMs: 10_000 });
    expect(spend(budget)).toBe(10);
    time.advance(5_000);
    expect(budget.tryWithdraw()).toBe(false);
    time.advance(6_000);
    expect(spend(budget)).toBe(10);
  });
});
