import { RollingSum } from './rolling-sum.ts';

export interface RetryBudgetOptions {
  /** Retries allowed per original request, over the window (default 0.2: at most 20% extra load). */
  ratio?: number;
  /** Retries always allowed per second, so that a quiet proxy can still retry (default 10). */
  minPerSecond?: number;
  /** How long a deposit stays spendable (default 10 s). */
  windowMs?: number;
  now?: () => number;
}

/**
 * Caps retries at a share of recent traffic, so that during an outage every client retrying
 * does not multiply the load on a struggling upstream. This is Finagle's RetryBudget, with its
 * defaults: a token bucket whose deposits expire after a TTL, plus a reserve of minRetriesPerSec
 * * TTL (https://finagle.github.io/blog/2016/02/08/retry-budgets/); gRPC's retry throttling
 * (gRFC A6, https://github.com/grpc/proposal/blob/master/A6-client-retries.md) is the same idea.
 */
export class RetryBudget {
  private readonly ratio: number;
  private readonly reserve: number;
  private readonly deposits: RollingSum;
  private readonly withdrawals: RollingSum;

  constructor(options: RetryBudgetOptions = {}) {
    const windowMs = options.windowMs ?? 10_000;
    const now = options.now ?? Date.now;
    this.ratio = options.ratio ?? 0.2;
    this.reserve = (options.minPerSecond ?? 10) * (windowMs / 1000);
    this.deposits = new RollingSum(windowMs, 10, now);
    this.withdrawals = new RollingSum(windowMs, 10, now);
  }

  /** Called once per original request (not per retry). */
  deposit(): void {
    this.deposits.add(1);
  }

  /** Called before each retry: false means the budget is spent and the retry should not happen. */
  tryWithdraw(): boolean {
    if (this.available() < 1) return false;
    this.withdrawals.add(1);
    return true;
  }

  /** Retries that may still be made now. */
  available(): number {
    return this.reserve + this.ratio * this.deposits.sum() - this.withdrawals.sum();
  }
}
