// Dashboard speed with a million requests in the store: every control API query the dashboard makes,
// timed over HTTP (p50 and worst of 20), and the first render with data in headless Chromium.
//
//   npm run bench:dashboard            (or: node bench/dashboard/run.ts [--requests N])
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../../analytics/store/db.ts';
import { prepareUsageInsert } from '../../analytics/store/usage-events.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import { loadPriceBook } from '../../pricing/catalog.ts';
import { startControlServer } from '../../server/control/control-server.ts';
import { LiveHub } from '../../server/control/live.ts';
import { storeFile } from '../../server/paths.ts';
import { firstRenderMs } from './render.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000000' } } });
const total = Number(values.requests);
const dataDir = join(tmpdir(), `apex-bench-dashboard-${total}`);
const dbFile = storeFile(dataDir, false);
const DAY = 86_400_000;
const MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'text-embedding-3-small', 'o4-mini'];

function event(i: number, now: number): UsageEvent {
  return {
    id: `bench-${i}`,
    ts: now - Math.floor((i / total) * 30 * DAY),
    keyId: `key-${i % 40}`,
    project: `project-${i % 12}`,
    api: i % 3 === 0 ? 'anthropic' : 'openai',
    endpoint: 'chat',
    provider: i % 3 === 0 ? 'anthropic' : 'openai',
    modelRequested: MODELS[i % MODELS.length] as string,
    modelServed: null,
    streamed: i % 2 === 0,
    inputTokens: 500 + (i % 3000),
    outputTokens: 50 + (i % 400),
    cachedInputTokens: i % 5 === 0 ? 400 : 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
    costNanos: 10_000 + (i % 90_000),
    priceSource: 'catalog',
    latencyUs: 200_000 + (i % 900_000),
    ttftUs: null,
    status: i % 97 === 0 ? 429 : 200,
    errorClass: i % 97 === 0 ? 'rate_limit_error' : null,
  };
}

function fill(): void {
  if (existsSync(dbFile)) return;
  mkdirSync(dataDir, { recursive: true });
  const db = openStore(dbFile);
  const insert = prepareUsageInsert(db);
  const now = Date.now();
  const started = performance.now();
  for (let i = 0; i < total; i += 10_000) {
    insert.insertBatch(Array.from({ length: Math.min(10_000, total - i) }, (_, j) => event(i + j, now)));
  }
  db.close();
  console.log(
    `stored ${total.toLocaleString('en-US')} requests in ${((performance.now() - started) / 1000).toFixed(1)} s (${dbFile})`,
  );
}

async function time(url: string, token: string): Promise<{ p50: number; max: number }> {
  const runs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return { p50: runs[10] as number, max: runs.at(-1) as number };
}

fill();
const token = 'bench-token';
const control = await startControlServer({
  port: 0,
  token,
  deps: {
    status: {
      version: 'bench',
      demo: false,
      demoRate: 0,
      proxyUrl: 'http://127.0.0.1:4000',
      startedAt: new Date().toISOString(),
    },
    usageDbFile: dbFile,
    dataDir,
    prices: await loadPriceBook(),
    hub: new LiveHub(),
    providers: () => [],
    providerConfig: () => undefined,
    configFile: null,
  },
});
const queries = [
  '/api/status',
  '/api/usage/overview?days=7',
  '/api/usage/overview?days=30',
  '/api/usage/requests?limit=100',
  '/api/providers',
  '/api/report',
];
console.log(`control API queries with ${total.toLocaleString('en-US')} requests stored (bar: < 100 ms each)`);
for (const path of queries) {
  const { p50, max } = await time(`${control.url}${path}`, token);
  console.log(
    `  ${path.padEnd(32)} p50 ${p50.toFixed(1).padStart(6)} ms   worst ${max.toFixed(1).padStart(6)} ms`,
  );
}
const render = await firstRenderMs(control.dashboardUrl);
console.log(
  render === null
    ? 'first render: skipped (no Chromium or no built dashboard)'
    : `first render with data: ${render.toFixed(0)} ms (bar: < 1000 ms)`,
);
await control.close();
if (process.env['BENCH_KEEP'] !== '1') rmSync(dataDir, { recursive: true, force: true });
