// A proxy in front of fault-injecting upstreams, with the official SDKs pointed at it (their own
// retries off, so what a test sees is Apex's behaviour) and every usage event captured.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { UsageEvent } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import { startProxy, type RunningProxy } from '../../proxy/index.ts';
import { startFaultUpstream, type FaultUpstream } from './fault-upstream.ts';

export interface FaultHarnessOptions {
  /** Routes tried before the catch-alls `gpt-*` (openai) and `claude-*` (anthropic). */
  models?: object[];
  /** Merged over the fast defaults below. */
  resilience?: Record<string, unknown>;
  /** More providers, given the extra upstreams' URLs (e.g. a second OpenAI deployment). */
  providers?: (extra: FaultUpstream[]) => Record<string, object>;
  /** How many extra fault upstreams to start for `providers`. */
  extraUpstreams?: number;
  /** Settings merged into both providers (e.g. idleTimeoutMs, connections). */
  providerSettings?: object;
}

export interface FaultHarness {
  proxy: RunningProxy;
  /** The upstream behind provider "openai". */
  openaiUp: FaultUpstream;
  /** The upstream behind provider "anthropic". */
  anthropicUp: FaultUpstream;
  extra: FaultUpstream[];
  openai: OpenAI;
  anthropic: Anthropic;
  events: UsageEvent[];
  /** Resolves once `count` events have been recorded (events land after the response ends). */
  waitForEvents(count: number): Promise<UsageEvent[]>;
  /** POSTs a JSON body to the proxy as a plain client would. */
  post(path: string, body: object, headers?: Record<string, string>, signal?: AbortSignal): Promise<Response>;
  close(): Promise<void>;
}

/** Short enough for a quick suite, long enough for a loopback upstream to answer. */
export const FAST_RESILIENCE = {
  maxRetries: 2,
  timeoutMs: 4_000,
  attemptTimeoutMs: 300,
  maxRetryAfterMs: 2_000,
  breaker: { enabled: true, consecutiveFailures: 50, minRequests: 1_000, cooldownMs: 500 },
};

export const hello = [{ role: 'user' as const, content: 'Hello' }];

function configFor(
  options: FaultHarnessOptions,
  openaiUp: FaultUpstream,
  anthropicUp: FaultUpstream,
  extra: FaultUpstream[],
): object {
  const resilience = { ...FAST_RESILIENCE, ...options.resilience };
  resilience.breaker = { ...FAST_RESILIENCE.breaker, ...(options.resilience?.breaker as object) };
  const settings = options.providerSettings ?? {};
  return {
    providers: {
      openai: { kind: 'openai', baseUrl: `${openaiUp.url}/v1`, apiKey: 'sk-upstream-openai', ...settings },
      anthropic: { kind: 'anthropic', baseUrl: anthropicUp.url, apiKey: 'sk-ant-upstream', ...settings },
      ...options.providers?.(extra),
    },
    models: [
      ...(options.models ?? []),
      { name: 'gpt-*', provider: 'openai' },
      { name: 'claude-*', provider: 'anthropic' },
    ],
    resilience,
  };
}

export async function startFaultHarness(options: FaultHarnessOptions = {}): Promise<FaultHarness> {
  const openaiUp = await startFaultUpstream();
  const anthropicUp = await startFaultUpstream();
  const extra: FaultUpstream[] = [];
  for (let i = 0; i < (options.extraUpstreams ?? 0); i++) extra.push(await startFaultUpstream());
  const config = parseConfigText(
    JSON.stringify(configFor(options, openaiUp, anthropicUp, extra)),
    'faults.json',
  );
  const events: UsageEvent[] = [];
  const proxy = await startProxy({
    config,
    port: 0,
    sink: { record: (event) => events.push(event) },
    logger: { warn: () => undefined, error: () => undefined },
  });
  return {
    proxy,
    openaiUp,
    anthropicUp,
    extra,
    openai: openaiClient(`${proxy.url}/v1`),
    anthropic: anthropicClient(proxy.url),
    events,
    waitForEvents: (count) => waitFor(events, count),
    post: (path, body, headers = {}, signal) =>
      fetch(`${proxy.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...headers },
        body: JSON.stringify(body),
        signal,
      }),
    async close() {
      await proxy.close(100);
      for (const upstream of [openaiUp, anthropicUp, ...extra]) await upstream.close();
    },
  };
}

/** The official OpenAI SDK with its own retries and logging off. */
export function openaiClient(baseURL: string): OpenAI {
  return new OpenAI({ baseURL, apiKey: 'sk-client', maxRetries: 0, timeout: 15_000, logLevel: 'off' });
}

export function anthropicClient(baseURL: string): Anthropic {
  return new Anthropic({ baseURL, apiKey: 'sk-ant-client', maxRetries: 0, timeout: 15_000, logLevel: 'off' });
}

async function waitFor(events: UsageEvent[], count: number): Promise<UsageEvent[]> {
  const deadline = Date.now() + 5_000;
  while (events.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} usage events, saw ${events.length}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return events;
}

/** Awaits a promise expected to reject, and returns what it rejected with. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, got a success');
}

/** A port nothing listens on: bound once, then closed. */
export async function deadPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One series of the proxy's /metrics, e.g. ('apex_circuit_state', 'deployment="openai/gpt-4o"'); null when absent. */
export async function metricValue(h: FaultHarness, name: string, labels: string): Promise<number | null> {
  const text = await (await fetch(`${h.proxy.url}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name}{`) && row.includes(labels));
  return line === undefined ? null : Number(line.split(' ').at(-1));
}
