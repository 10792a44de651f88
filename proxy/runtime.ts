import type { ApexConfig } from './config/schema.ts';
import { createDeploymentPricing } from './deployment-pricing.ts';
import type { Pricing } from './forward/exchange.ts';
import { SettingsResolver } from './optimizers/settings.ts';
import { ModelRouter } from './router.ts';
import { Failover } from './forward/failover.ts';
import type { UpstreamAgents, UpstreamTarget } from './upstream/agents.ts';
import { bedrockTarget, retainBedrockClients } from './upstream/bedrock.ts';

/**
 * Everything a request needs from the config, built once per (re)load and
 * swapped atomically: a request in flight keeps the runtime it started with.
 */
export interface ProxyRuntime {
  readonly config: ApexConfig;
  readonly router: ModelRouter;
  readonly targets: ReadonlyMap<string, UpstreamTarget>;
  readonly pricing: Pricing;
  /** The optimizer settings each request runs with, by key, route, model and arm. */
  readonly settings: SettingsResolver;
  /** Retries, fallbacks, balancing and circuit breakers for this config. */
  readonly failover: Failover;
  readonly maxBodyBytes: number;
  readonly allowedHosts: ReadonlySet<string>;
  /** Unix seconds, reported as the models' `created` time. */
  readonly loadedAt: number;
}

export interface RuntimeOptions {
  /** The bundled catalog; tests may point elsewhere. */
  catalogFile?: string;
}

export async function buildRuntime(
  config: ApexConfig,
  agents: UpstreamAgents,
  options: RuntimeOptions = {},
): Promise<ProxyRuntime> {
  const targets = new Map<string, UpstreamTarget>();
  for (const [name, provider] of Object.entries(config.providers))
    targets.set(
      name,
      provider.kind === 'bedrock' ? bedrockTarget(agents, provider, name) : agents.target(provider),
    );
  agents.retainOnly(Object.values(config.providers));
  retainBedrockClients(agents, Object.values(config.providers));
  const router = new ModelRouter(config);
  return {
    config,
    router,
    failover: new Failover(config.resilience, router),
    targets,
    pricing: await createDeploymentPricing(config, options.catalogFile),
    settings: new SettingsResolver(config.optimizers, config.proof),
    maxBodyBytes: config.server.maxBodyBytes,
    allowedHosts: new Set(config.server.allowedHosts.map((host) => host.toLowerCase())),
    loadedAt: Math.floor(Date.now() / 1000),
  };
}
