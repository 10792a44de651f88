import { errorCodes, retryableError } from './retry-policy.ts';
import { RollingSum } from './rolling-sum.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Span of the rolling failure count (default 30 s). */
  windowMs?: number;
  /** Calls in the window before the failure share is judged at all (default 10). */
  minRequests?: number;
  /** Failure share in the window that opens the breaker (default 0.5). */
  failureRatio?: number;
  /** Failures in a row that open it whatever the window says (default 5). */
  consecutiveFailures?: number;
  /** First wait before probing again (default 30 s); doubles on each re-open. */
  cooldownMs?: number;
  /** Longest wait (default 5 min). */
  maxCooldownMs?: number;
  /** Calls let through at once while half-open (default 1). */
  probes?: number;
  now?: () => number;
}

export interface BreakerStats {
  state: BreakerState;
  requests: number;
  failures: number;
  consecutiveFailures: number;
  /** How often it has opened since it was created. */
  opened: number;
  cooldownMs: number;
  /** When it next lets a probe through, while open. */
  openUntil: number | null;
  probesInFlight: number;
}

/**
 * Whether an outcome says the deployment itself is unhealthy: 408, 429 and 5xx responses,
 * timeouts and connection failures (ENOTFOUND included: it will not get better on its own).
 * A 4xx caused by the request, or the caller going away, says nothing about the deployment.
 */
export function countsAsFailure(outcome: number | unknown): boolean {
  if (typeof outcome === 'number') return outcome === 408 || outcome === 429 || outcome >= 500;
  if (retryableError(outcome)) return true;
  return errorCodes(outcome).some(isConnectionCode);
}

function isConnectionCode(code: string): boolean {
  if (code === 'APEX_UPSTREAM_TIMEOUT') return true;
  if (code.startsWith('UND_ERR_')) return code !== 'UND_ERR_ABORTED' && code !== 'UND_ERR_INVALID_ARG';
  return /^E(CONN|HOST|NET|AI_|NOTFOUND|PIPE|TIMEDOUT|PROTO)/.test(code);
}

/** One deployment's breaker: closed (calls flow), open (calls refused), half-open (probing). */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private readonly calls: RollingSum;
  private readonly failed: RollingSum;
  private readonly now: () => number;
  private readonly options: Required<Omit<BreakerOptions, 'now' | 'windowMs'>>;
  private consecutive = 0;
  private opened = 0;
  private cooldown: number;
  private openUntil = 0;
  private probing = 0;

  constructor(options: BreakerOptions = {}) {
    this.now = options.now ?? Date.now;
    const windowMs = options.windowMs ?? 30_000;
    this.calls = new RollingSum(windowMs, 10, this.now);
    this.failed = new RollingSum(windowMs, 10, this.now);
    this.options = {
      minRequests: options.minRequests ?? 10,
      failureRatio: options.failureRatio ?? 0.5,
      consecutiveFailures: options.consecutiveFailures ?? 5,
      cooldownMs: options.cooldownMs ?? 30_000,
      maxCooldownMs: options.maxCooldownMs ?? 300_000,
      probes: options.probes ?? 1,
    };
    this.cooldown = this.options.cooldownMs;
  }

  state(): BreakerState {
    if (this.current === 'open' && this.now() >= this.openUntil) {
      this.current = 'half-open';
      this.probing = 0;
    }
    return this.current;
  }

  /** Whether allow() would say yes, without taking a half-open slot: for choosing among deployments. */
  available(): boolean {
    const state = this.state();
    return state === 'closed' || (state === 'half-open' && this.probing < this.options.probes);
  }

  /** Asks to make a call; while half-open a yes takes a probe slot, freed by record() or release(). */
  allow(): boolean {
    if (!this.available()) return false;
    if (this.current === 'half-open') this.probing++;
    return true;
  }

  /** Frees a half-open slot for a call that was abandoned (its caller left) and so proved nothing. */
  release(): void {
    if (this.state() === 'half-open' && this.probing > 0) this.probing--;
  }

  record(success: boolean): void {
    const state = this.state();
    if (state === 'half-open') return this.settleProbe(success);
    // Open: a straggler that started before the breaker opened; the cooldown stands.
    if (state === 'open') return;
    this.calls.add(1);
    if (success) {
      this.consecutive = 0;
      return;
    }
    this.failed.add(1);
    this.consecutive++;
    if (this.shouldTrip()) this.open();
  }

  stats(): BreakerStats {
    const state = this.state();
    return {
      state,
      requests: this.calls.sum(),
      failures: this.failed.sum(),
      consecutiveFailures: this.consecutive,
      opened: this.opened,
      cooldownMs: this.cooldown,
      openUntil: state === 'open' ? this.openUntil : null,
      probesInFlight: this.probing,
    };
  }

  private shouldTrip(): boolean {
    if (this.consecutive >= this.options.consecutiveFailures) return true;
    const requests = this.calls.sum();
    return requests >= this.options.minRequests && this.failed.sum() / requests >= this.options.failureRatio;
  }

  private settleProbe(success: boolean): void {
    if (this.probing > 0) this.probing--;
    if (success) return this.close();
    // Still sick: wait longer each time, so a long outage is probed ever more gently.
    this.cooldown = Math.min(this.options.maxCooldownMs, this.cooldown * 2);
    this.open();
  }

  private open(): void {
    this.current = 'open';
    this.opened++;
    this.openUntil = this.now() + this.cooldown;
    this.probing = 0;
  }

  private close(): void {
    this.current = 'closed';
    this.cooldown = this.options.cooldownMs;
    this.consecutive = 0;
    this.probing = 0;
    this.calls.clear();
    this.failed.clear();
  }
}

/** The breakers of every deployment, keyed by deployment, created on first use. */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly options: BreakerOptions;

  constructor(options: BreakerOptions = {}) {
    this.options = options;
  }

  get(key: string): CircuitBreaker {
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(this.options);
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** A deployment never called yet is available; checking does not create its breaker. */
  available(key: string): boolean {
    return this.breakers.get(key)?.available() ?? true;
  }

  /** Drops the breakers of deployments no longer configured (after a config reload). */
  retainOnly(keys: Iterable<string>): void {
    const keep = new Set(keys);
    for (const key of this.breakers.keys()) if (!keep.has(key)) this.breakers.delete(key);
  }

  stats(): Record<string, BreakerStats> {
    return Object.fromEntries([...this.breakers].map(([key, breaker]) => [key, breaker.stats()]));
  }
}
