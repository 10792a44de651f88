/**
 * A month of demo traffic through the real proxy, squeezed into minutes: the simulator answers at
 * high speed and the proxy stamps events with a simulated clock that walks through 30 days.
 * Users are drawn with a skewed activity (a few heavy users, a long tail), as in real products.
 */
import type Database from 'better-sqlite3';
import { Agent, fetch } from 'undici';
import { openStore } from '../../analytics/store/db.ts';
import { prepareUsageInsert } from '../../analytics/store/usage-events.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import { parseConfigText } from '../../proxy/config/load.ts';
import { startProxy } from '../../proxy/index.ts';
import { Rng } from '../../proxy/simulator/random.ts';
import { startSimulator } from '../../proxy/simulator/server.ts';
import { DemoApps, type DemoRequest } from '../../proxy/simulator/traffic-apps.ts';
import { demoHeaders } from '../../proxy/simulator/traffic.ts';

export interface MonthOptions {
  days: number;
  requestsPerDay: number;
  users: number;
  seed: number;
  concurrency: number;
  /** The optimizer and proof sections of the config under test. */
  optimizers: object;
  proof: object;
}

export interface MonthResult {
  db: Database.Database;
  fromMs: number;
  toMs: number;
  requests: number;
  failures: number;
  wallSeconds: number;
}

const DAY_MS = 86_400_000;

export async function simulateMonth(options: MonthOptions): Promise<MonthResult> {
  const simulator = await startSimulator({ port: 0, seed: options.seed, speed: 1_000, errorRate: 0.005 });
  const events: UsageEvent[] = [];
  const fromMs = Date.UTC(2026, 9, 1);
  let simulatedNow = fromMs;
  const proxy = await startProxy({
    config: monthConfig(simulator.url, options),
    port: 0,
    sink: { record: (event) => events.push(event) },
    logger: { warn: () => undefined, error: (details, message) => console.error(message, details) },
    clock: () => simulatedNow,
  });
  const total = options.days * options.requestsPerDay;
  const rng = new Rng(options.seed);
  const apps = new DemoApps(rng);
  const users = userActivity(options.users, rng);
  const agent = new Agent({ connections: options.concurrency });
  const started = performance.now();
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      simulatedNow = fromMs + Math.floor((index / total) * options.days * DAY_MS);
      const ok = await send(proxy.url, apps.next(), pickUser(users, rng), agent);
      if (!ok) failures++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await proxy.close(1_000);
  await simulator.close();
  await agent.close();
  const db = openStore(':memory:');
  const insert = prepareUsageInsert(db);
  for (let i = 0; i < events.length; i += 5_000) insert.insertBatch(events.slice(i, i + 5_000));
  return {
    db,
    fromMs,
    toMs: fromMs + options.days * DAY_MS,
    requests: events.length,
    failures,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

function monthConfig(simulatorUrl: string, options: MonthOptions) {
  return parseConfigText(
    JSON.stringify({
      providers: {
        openai: { kind: 'openai', baseUrl: `${simulatorUrl}/v1`, apiKey: 'simulated' },
        anthropic: { kind: 'anthropic', baseUrl: simulatorUrl, apiKey: 'simulated' },
      },
      models: [
        { name: 'gpt-*', provider: 'openai' },
        { name: 'text-embedding-3-small', provider: 'openai' },
        { name: 'o*', provider: 'openai' },
        { name: 'claude-*', provider: 'anthropic' },
      ],
      optimizers: options.optimizers,
      proof: options.proof,
    }),
    '(savings simulation)',
  );
}

async function send(origin: string, request: DemoRequest, user: string, agent: Agent): Promise<boolean> {
  const headers = demoHeaders(request, user);
  // A month replayed in minutes cannot sit out batch windows; the batch path has its own tests.
  delete headers['x-apex-urgency'];
  try {
    const response = await fetch(`${origin}${request.path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(request.body),
      dispatcher: agent,
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Cumulative weights of a Zipf-like activity: user k is about 1/k^0.8 as active as user 1. */
function userActivity(count: number, rng: Rng): { names: string[]; cumulative: number[] } {
  const names = Array.from({ length: count }, () => `user-${rng.hex(8)}`);
  let sum = 0;
  const cumulative = names.map((_, k) => (sum += 1 / (k + 1) ** 0.8));
  return { names, cumulative: cumulative.map((value) => value / sum) };
}

function pickUser(users: { names: string[]; cumulative: number[] }, rng: Rng): string {
  const draw = rng.next();
  let low = 0;
  let high = users.cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (users.cumulative[mid]! < draw) low = mid + 1;
    else high = mid;
  }
  return users.names[low]!;
}
