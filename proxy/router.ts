import type { ApexConfig, ModelRoute, ProviderConfig } from './config/schema.ts';

/** Where one requested model name goes. */
export interface Deployment {
  /** The model name it was resolved from (a pattern route serves many). */
  name: string;
  providerName: string;
  provider: ProviderConfig;
  /** The model name sent upstream. */
  upstreamModel: string;
  project: string | null;
  route: ModelRoute;
}

interface PatternRoute {
  pattern: RegExp;
  route: ModelRoute;
}

/**
 * Resolves requested model names to deployments: exact names first (one map
 * lookup on the hot path), then `*` patterns in config order. Results for
 * pattern matches are memoized because clients repeat the same few names.
 */
export class ModelRouter {
  private readonly exact = new Map<string, ModelRoute>();
  /** Every route by its name, in config order: routes sharing a name are one balanced group. */
  private readonly byName = new Map<string, ModelRoute[]>();
  private readonly patterns: PatternRoute[] = [];
  private readonly memo = new Map<string, Deployment | null>();
  private readonly config: ApexConfig;

  constructor(config: ApexConfig) {
    this.config = config;
    for (const route of config.models) {
      const named = this.byName.get(route.name);
      if (named) named.push(route);
      else this.byName.set(route.name, [route]);
      if (route.name.includes('*')) this.patterns.push({ pattern: wildcardToRegExp(route.name), route });
      else if (!this.exact.has(route.name)) this.exact.set(route.name, route);
    }
  }

  resolve(model: string): Deployment | null {
    const cached = this.memo.get(model);
    if (cached !== undefined) return cached;
    const route = this.exact.get(model) ?? this.patterns.find((p) => p.pattern.test(model))?.route;
    const deployment = route ? this.toDeployment(model, route) : null;
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(model, deployment);
    return deployment;
  }

  /**
   * The deployments that can serve `model` interchangeably: the resolved route and every route that
   * shares its name (several keys of one provider, or Azure deployments beside OpenAI itself).
   */
  group(model: string): Deployment[] {
    const first = this.resolve(model);
    if (!first) return [];
    const routes = this.byName.get(first.route.name) ?? [first.route];
    return routes.map((route) => (route === first.route ? first : this.toDeployment(model, route)));
  }

  /** Names a client can ask for, for GET /v1/models (patterns are not listable). */
  listModels(): Array<{ id: string; provider: string }> {
    return [...this.exact.values()].map((route) => ({ id: route.name, provider: route.provider }));
  }

  private toDeployment(model: string, route: ModelRoute): Deployment {
    const provider = this.config.providers[route.provider];
    if (!provider) throw new Error(`route ${route.name} names unknown provider ${route.provider}`);
    return {
      name: model,
      providerName: route.provider,
      provider,
      upstreamModel: route.model ?? model,
      project: route.project ?? null,
      route,
    };
  }
}

function wildcardToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
