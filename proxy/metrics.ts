import { Counter, Histogram, Registry } from 'prom-client';
import type { UsageEvent } from '../contracts/usage.ts';
import { FailoverMetrics } from './forward/failover-metrics.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

type TokenKind = 'input' | 'output' | 'cached_input' | 'cache_write' | 'reasoning';

interface ModelSeries {
  tokens: Record<TokenKind, Counter.Internal>;
  cost: Counter.Internal;
  latency: Histogram.Internal<string>;
  ttft: Histogram.Internal<string>;
}

/**
 * The proxy's Prometheus series. Label children are cached per provider/model
 * because resolving labels on every observation costs more than the
 * observation itself on the hot path.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  readonly failover = new FailoverMetrics(this.registry);
  private readonly requests: Counter;
  private readonly tokens: Counter;
  private readonly cost: Counter;
  private readonly latency: Histogram;
  private readonly ttft: Histogram;
  private readonly series = new Map<string, ModelSeries>();
  private readonly requestCounters = new Map<string, Counter.Internal>();

  constructor() {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'apex_requests_total',
      help: 'Requests handled by the proxy',
      labelNames: ['provider', 'model', 'endpoint', 'status'],
      registers,
    });
    this.tokens = new Counter({
      name: 'apex_tokens_total',
      help: 'Tokens reported by upstreams, by kind (cached_input, cache_write and reasoning are parts of input/output)',
      labelNames: ['provider', 'model', 'kind'],
      registers,
    });
    this.cost = new Counter({
      name: 'apex_cost_nanodollars_total',
      help: 'Cost of proxied requests in nano-dollars (1e-9 USD)',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.latency = new Histogram({
      name: 'apex_request_duration_seconds',
      help: 'Time from request received to response finished',
      labelNames: ['provider', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.ttft = new Histogram({
      name: 'apex_time_to_first_token_seconds',
      help: 'Time to the first streamed byte',
      labelNames: ['provider', 'model'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  observe(event: UsageEvent): void {
    const model = event.modelRequested;
    this.requestCounter(event.provider, model, event.endpoint, event.status).inc();
    const series = this.seriesFor(event.provider, model);
    series.latency.observe(event.latencyUs / 1e6);
    if (event.ttftUs !== null) series.ttft.observe(event.ttftUs / 1e6);
    if (event.inputTokens > 0) series.tokens.input.inc(event.inputTokens);
    if (event.outputTokens > 0) series.tokens.output.inc(event.outputTokens);
    if (event.cachedInputTokens > 0) series.tokens.cached_input.inc(event.cachedInputTokens);
    const writes = event.cacheWriteTokens + event.cacheWrite1hTokens;
    if (writes > 0) series.tokens.cache_write.inc(writes);
    if (event.reasoningTokens > 0) series.tokens.reasoning.inc(event.reasoningTokens);
    if (event.costNanos > 0) series.cost.inc(event.costNanos);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private requestCounter(
    provider: string,
    model: string,
    endpoint: string,
    status: number,
  ): Counter.Internal {
    const key = `${provider}\0${model}\0${endpoint}\0${status}`;
    let counter = this.requestCounters.get(key);
    if (!counter) {
      counter = this.requests.labels(provider, model, endpoint, String(status));
      this.requestCounters.set(key, counter);
    }
    return counter;
  }

  private seriesFor(provider: string, model: string): ModelSeries {
    const key = `${provider}\0${model}`;
    let series = this.series.get(key);
    if (!series) {
      const kind = (k: TokenKind): Counter.Internal => this.tokens.labels(provider, model, k);
      series = {
        tokens: {
          input: kind('input'),
          output: kind('output'),
          cached_input: kind('cached_input'),
          cache_write: kind('cache_write'),
          reasoning: kind('reasoning'),
        },
        cost: this.cost.labels(provider, model),
        latency: this.latency.labels(provider, model),
        ttft: this.ttft.labels(provider, model),
      };
      this.series.set(key, series);
    }
    return series;
  }
}
