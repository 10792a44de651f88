/**
 * Background demo traffic: a Poisson stream of requests from a few simulated
 * apps, sent through the Apex proxy with plain fetch so the dashboard has
 * realistic, varied data from the first minute. Failures are reported through
 * onResult, never thrown, and stop() leaves no timer or socket behind.
 */
import { Agent, fetch } from 'undici';
import type { ApiFlavor, Endpoint } from '../../contracts/usage.ts';
import { deriveSeed, randomSeed, Rng } from './random.ts';
import { DemoApps, type DemoRequest } from './traffic-apps.ts';
import { readOutcome, type DemoUsage } from './traffic-read.ts';

export type { DemoUsage } from './traffic-read.ts';

export interface DemoTrafficOptions {
  /** The proxy's origin, e.g. "http://127.0.0.1:8787" (a trailing "/v1" is tolerated). */
  proxyUrl: string;
  /** Mean arrival rate; gaps between requests are exponential (Poisson arrivals). */
  requestsPerSecond?: number;
  seed?: number;
  onResult?: (result: DemoResult) => void;
}

export interface DemoResult {
  app: string;
  api: ApiFlavor;
  endpoint: Endpoint;
  model: string;
  streamed: boolean;
  /** HTTP status, or 0 when no response arrived (connection refused, reset). */
  status: number;
  ok: boolean;
  latencyMs: number;
  ttftMs: number | null;
  usage?: DemoUsage;
  error?: string;
}

export interface DemoTraffic {
  /** Resolves once no request, timer or socket of the demo is left. */
  stop(): Promise<void>;
}

/** Beyond this many unanswered requests new arrivals are dropped, so a stalled proxy is not flooded. */
const MAX_IN_FLIGHT = 32;
const ANTHROPIC_VERSION = '2023-06-01';

function originOf(proxyUrl: string): string {
  return proxyUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** End users of the demo apps, so the control group is drawn from many units, not five keys. */
const DEMO_USERS = 400;

/** The headers a demo app sends: its own key, project and route, and the end user it serves. */
export function demoHeaders(request: DemoRequest, user: string): Record<string, string> {
  const key = `demo-key-${request.app}`;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${key}`,
    'x-apex-project': request.app,
    'x-apex-route': request.app,
    'x-apex-user': user,
  };
  if (request.api === 'anthropic')
    Object.assign(headers, { 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION });
  if (request.urgency) headers['x-apex-urgency'] = request.urgency;
  return headers;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

class TrafficLoop {
  private readonly origin: string;
  private readonly meanGapMs: number;
  private readonly rng: Rng;
  private readonly apps: DemoApps;
  private readonly onResult: (result: DemoResult) => void;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000 });
  private readonly inFlight = new Map<Promise<void>, AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(options: DemoTrafficOptions) {
    const rate = options.requestsPerSecond ?? 1;
    if (!(rate > 0)) throw new RangeError('requestsPerSecond must be greater than 0');
    this.origin = originOf(options.proxyUrl);
    this.meanGapMs = 1000 / rate;
    this.rng = new Rng(deriveSeed(options.seed ?? randomSeed(), 'demo-traffic'));
    this.apps = new DemoApps(this.rng);
    this.onResult = options.onResult ?? (() => undefined);
  }

  start(): void {
    this.scheduleNext();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const controller of this.inFlight.values()) controller.abort();
    await Promise.allSettled(this.inFlight.keys());
    await this.agent.destroy();
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.fire();
      this.scheduleNext();
    }, this.rng.exponential(this.meanGapMs));
  }

  private fire(): void {
    if (this.stopped || this.inFlight.size >= MAX_IN_FLIGHT) return;
    const controller = new AbortController();
    const sending = this.send(this.apps.next(), controller.signal).finally(() =>
      this.inFlight.delete(sending),
    );
    this.inFlight.set(sending, controller);
  }

  private async send(request: DemoRequest, signal: AbortSignal): Promise<void> {
    const startedAt = performance.now();
    const base = {
      app: request.app,
      api: request.api,
      endpoint: request.endpoint,
      model: request.model,
      streamed: request.streamed,
    };
    let status = 0;
    try {
      const response = await fetch(`${this.origin}${request.path}`, {
        method: 'POST',
        headers: demoHeaders(request, `demo-user-${this.rng.int(1, DEMO_USERS)}`),
        body: JSON.stringify(request.body),
        signal,
        dispatcher: this.agent,
      });
      status = response.status;
      const outcome = await readOutcome(response, request.api, startedAt);
      const ok = response.ok && outcome.error === undefined;
      this.report({ ...base, status, ok, latencyMs: performance.now() - startedAt, ...outcome });
    } catch (error) {
      // Requests cut short by stop() are not results anyone asked for.
      if (this.stopped) return;
      const latencyMs = performance.now() - startedAt;
      this.report({ ...base, status, ok: false, latencyMs, ttftMs: null, error: describe(error) });
    }
  }

  private report(result: DemoResult): void {
    if (this.stopped) return;
    try {
      this.onResult(result);
    } catch {
      // A faulty listener must not stop the demo.
    }
  }
}

export function startDemoTraffic(options: DemoTrafficOptions): DemoTraffic {
  const loop = new TrafficLoop(options);
  loop.start();
  return { stop: () => loop.stop() };
}
