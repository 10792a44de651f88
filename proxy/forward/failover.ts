import type { ResilienceConfig } from '../config/resilience-schema.ts';
import type { Candidate } from '../resilience/attempt-types.ts';
import { Balancer } from '../resilience/balancer.ts';
import { CircuitBreakers } from '../resilience/circuit-breaker.ts';
import { RetryBudget } from '../resilience/retry-budget.ts';
import type { Deployment, ModelRouter } from '../router.ts';

/** What a request may be sent to, in order, and the deployment behind each id. */
export interface FailoverPlan {
  candidates: readonly Candidate[];
  deployments: ReadonlyMap<string, Deployment>;
}

/** One breaker per provider and upstream model: that is what fails together. */
export function deploymentId(deployment: Deployment): string {
  return `${deployment.providerName}/${deployment.upstreamModel}`;
}

const MAX_PLANS = 10_000;

/**
 * The resilience state of one config: breakers, the retry budget and a balancer per group of
 * routes sharing a name. Built with the runtime, so a config reload starts every breaker closed.
 */
export class Failover {
  readonly config: ResilienceConfig;
  readonly breakers: CircuitBreakers | undefined;
  readonly budget: RetryBudget;
  private readonly router: ModelRouter;
  private readonly plans = new Map<string, FailoverPlan>();

  constructor(config: ResilienceConfig, router: ModelRouter) {
    this.config = config;
    this.router = router;
    const { enabled, ...breaker } = config.breaker;
    this.breakers = enabled ? new CircuitBreakers(breaker) : undefined;
    this.budget = new RetryBudget(config.retryBudget);
  }

  /** The candidates for a request that resolved to `primary`: its group, then its fallbacks. */
  planFor(primary: Deployment): FailoverPlan {
    const key = `${primary.route.name}\u0000${primary.name}`;
    let plan = this.plans.get(key);
    if (!plan) {
      plan = this.buildPlan(primary);
      if (this.plans.size >= MAX_PLANS) this.plans.clear();
      this.plans.set(key, plan);
    }
    return plan;
  }

  private buildPlan(primary: Deployment): FailoverPlan {
    const deployments = new Map<string, Deployment>();
    const candidates: Candidate[] = [];
    const groups = [this.router.group(primary.name)];
    for (const name of fallbackNames(groups[0]!)) groups.push(this.router.group(name));
    for (const group of groups) {
      const fresh = group.filter((deployment) => !deployments.has(deploymentId(deployment)));
      for (const deployment of fresh) deployments.set(deploymentId(deployment), deployment);
      if (fresh.length > 0) candidates.push(this.candidate(fresh));
    }
    return { candidates, deployments };
  }

  private candidate(group: readonly Deployment[]): Candidate {
    const ids = [...new Set(group.map(deploymentId))];
    if (ids.length === 1) return { name: ids[0]! };
    const breakers = this.breakers;
    const members = ids.map((id) => ({
      id,
      weight: group.find((deployment) => deploymentId(deployment) === id)!.route.weight,
    }));
    const balancer = new Balancer(this.config.balancing, members, {
      isAvailable: breakers ? (id) => breakers.available(id) : undefined,
    });
    return { name: `${group[0]!.name} (${ids.length} deployments)`, balancer };
  }
}

/** The fallbacks of every route in the group, first mention first. */
function fallbackNames(group: readonly Deployment[]): string[] {
  return [...new Set(group.flatMap((deployment) => deployment.route.fallbacks))];
}
