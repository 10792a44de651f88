import { Counter, Gauge, type Registry } from 'prom-client';

/** How a realtime handshake ended. */
export type SessionOutcome = 'opened' | 'refused' | 'upstream_refused' | 'upstream_unreachable';

/**
 * Realtime sessions' Prometheus series, registered in the proxy's own registry so /metrics shows
 * them beside the request series. Token and cost series need nothing here: every response.done
 * goes through ProxyMetrics.observe like an HTTP request (endpoint "realtime").
 */
export class RealtimeMetrics {
  private readonly open: Gauge;
  private readonly sessions: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.open = new Gauge({
      name: 'apex_realtime_sessions_open',
      help: 'Realtime (WebSocket) sessions open now',
      labelNames: ['provider'],
      registers,
    });
    this.sessions = new Counter({
      name: 'apex_realtime_sessions_total',
      help: 'Realtime (WebSocket) handshakes, by how they ended (opened, refused by Apex or the upstream, upstream unreachable)',
      labelNames: ['provider', 'model', 'outcome'],
      registers,
    });
  }

  handshake(provider: string, model: string, outcome: SessionOutcome): void {
    this.sessions.labels(provider, model, outcome).inc();
  }

  opened(provider: string): void {
    this.open.labels(provider).inc();
  }

  closed(provider: string): void {
    this.open.labels(provider).dec();
  }
}

const byRegistry = new WeakMap<Registry, RealtimeMetrics>();

/** One set per registry: a registry refuses a second metric of the same name. */
export function realtimeMetrics(registry: Registry): RealtimeMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    metrics = new RealtimeMetrics(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
