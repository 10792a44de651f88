import type { OptimizersConfig } from '../config/optimizers-schema.ts';
import { ExactCache } from './exact-cache.ts';

/**
 * Optimizer state that outlives config reloads: caches keep their entries when a config edit
 * changes an unrelated field. Settings that size the state apply at start.
 */
export class OptimizerState {
  readonly exactCache: ExactCache;

  constructor(config: OptimizersConfig) {
    this.exactCache = new ExactCache({
      ttlMs: config.settings.exactCache.ttlSeconds * 1000,
      maxBytes: config.exactCacheMegabytes * 1024 * 1024,
    });
  }
}
