import { Pool } from 'undici';
import type { ProviderConfig } from '../config/schema.ts';

/** A provider's connection pool and the path prefix its API lives under. */
export interface UpstreamTarget {
  pool: Pool;
  origin: string;
  /** e.g. "/v1" for https://api.openai.com/v1, "" for https://api.anthropic.com. */
  basePath: string;
}

/**
 * Keeps one keep-alive pool per distinct upstream so connections are reused
 * across requests and across config reloads that leave a provider unchanged.
 */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  target(provider: ProviderConfig): UpstreamTarget {
    const url = new URL(provider.baseUrl);
    const key = poolKey(url.origin, provider);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Pool(url.origin, {
        connections: provider.connections,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: provider.connectTimeoutMs },
        headersTimeout: provider.idleTimeoutMs,
        bodyTimeout: provider.idleTimeoutMs,
      });
      this.pools.set(key, pool);
    }
    return { pool, origin: url.origin, basePath: url.pathname === '/' ? '' : url.pathname };
  }

  /** Closes pools no provider uses any more; in-flight requests on them finish first. */
  retainOnly(providers: Iterable<ProviderConfig>): void {
    const keep = new Set<string>();
    for (const provider of providers) keep.add(poolKey(new URL(provider.baseUrl).origin, provider));
    for (const [key, pool] of this.pools) {
      if (keep.has(key)) continue;
      this.pools.delete(key);
      void pool.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close().catch(() => pool.destroy())));
  }
}

function poolKey(origin: string, provider: ProviderConfig): string {
  return `${origin}|${provider.connections}|${provider.connectTimeoutMs}|${provider.idleTimeoutMs}`;
}
