import { Counter, Gauge, type Registry } from 'prom-client';
import type { AttemptLog } from '../resilience/attempt-types.ts';
import type { BreakerState, CircuitBreakers } from '../resilience/circuit-breaker.ts';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Upstream attempts by deployment and outcome, and each deployment's breaker: what an operator
 * watches to see that a provider is failing and that Apex is routing around it.
 */
export class FailoverMetrics {
  private readonly attempts: Counter;
  private readonly children = new Map<string, Counter.Internal>();
  private breakers: () => CircuitBreakers | undefined = () => undefined;

  constructor(registry: Registry) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'apex_upstream_attempts_total',
      help: 'Calls made to upstream deployments, retries and fallbacks included, by outcome',
      labelNames: ['deployment', 'outcome'],
      registers,
    });
    const source = (): CircuitBreakers | undefined => this.breakers();
    new Gauge({
      name: 'apex_circuit_state',
      help: 'Circuit breaker of each deployment called so far: 0 closed, 1 half-open, 2 open',
      labelNames: ['deployment'],
      registers,
      collect() {
        this.reset();
        for (const [deployment, stats] of Object.entries(source()?.stats() ?? {}))
          this.set({ deployment }, STATE_VALUE[stats.state]);
      },
    });
  }

  /** Where the breakers live: the runtime's, which a config reload replaces. */
  watch(breakers: () => CircuitBreakers | undefined): void {
    this.breakers = breakers;
  }

  observe(attempts: readonly AttemptLog[]): void {
    for (const attempt of attempts) this.child(attempt.deployment, outcomeOf(attempt)).inc();
  }

  private child(deployment: string, outcome: string): Counter.Internal {
    const key = `${deployment}\u0000${outcome}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.attempts.labels(deployment, outcome);
      this.children.set(key, child);
    }
    return child;
  }
}

/** "ok", the status for failures worth telling apart (429, 503...), or the transport error's code. */
function outcomeOf(attempt: AttemptLog): string {
  if (attempt.status === undefined) return attempt.error ?? 'error';
  if (attempt.status < 400) return 'ok';
  return String(attempt.status);
}
