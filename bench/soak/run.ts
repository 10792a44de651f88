// bench/soak: 100,000 requests (--requests N) through Apex to fault-injecting upstreams, with
// the proxy in its own process. Every 5 s it samples the proxy's heap after a forced GC, its RSS
// and its sockets, and the upstreams' open connections; at the end it prints the samples, what the
// clients saw, the requests/s, and whether sockets and memory came back flat. Exits 1 on a
// failed verdict. Usage: node bench/soak/run.ts [--requests N] [--concurrency C] [--seed S]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startProxyChild, type ProxyChild } from './child.ts';
import { newLoadState, runLoad, type LoadState } from './load.ts';
import {
  eventsVerdict,
  memoryVerdict,
  sampleRow,
  SAMPLE_HEADER,
  socketVerdict,
  type Sample,
  type Verdict,
} from './samples.ts';
import {
  CONNECTIONS_PER_PROVIDER,
  FAULT_SHARES,
  OUTAGE_EVERY_MS,
  OUTAGE_MS,
  RESILIENCE,
  startWorld,
  type SoakWorld,
} from './setup.ts';

const SAMPLE_EVERY_MS = 5_000;
const CLIENT_TIMEOUT_MS = 30_000;

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '100000' },
      concurrency: { type: 'string', default: '64' },
      seed: { type: 'string', default: '1' },
    },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  if (!(requests >= 1_000) || !(concurrency >= 1)) throw new Error('--requests >= 1000, --concurrency >= 1');
  return { requests, concurrency, seed: Number(values.seed) };
}

async function takeSample(child: ProxyChild, world: SoakWorld, started: number, completed: number) {
  const sample = await child.sample();
  return { ...sample, seconds: (Date.now() - started) / 1000, completed, upstreamOpen: world.openSockets() };
}

/** Waits until the proxy has recorded `expected` events (nothing left in flight), then lets sockets settle. */
async function drained(child: ProxyChild, expected: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await child.sample()).eventsRecorded < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

async function soak(child: ProxyChild, world: SoakWorld, plan: ReturnType<typeof options>) {
  const state = newLoadState();
  const samples: Sample[] = [];
  const started = Date.now();
  let sampling = false;
  const timer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    void takeSample(child, world, started, state.completed)
      .then((sample) => {
        samples.push(sample);
        const rate = (sample.completed / sample.seconds).toFixed(0);
        console.log(`${sampleRow(sample)}   ${rate} req/s`);
      })
      .finally(() => (sampling = false));
  }, SAMPLE_EVERY_MS);
  console.log(SAMPLE_HEADER);
  await runLoad(
    {
      port: child.port,
      total: plan.requests,
      concurrency: plan.concurrency,
      seed: plan.seed,
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
    },
    state,
  );
  const seconds = (Date.now() - started) / 1000;
  clearInterval(timer);
  while (sampling) await new Promise((resolve) => setTimeout(resolve, 20));
  return { state, samples, seconds };
}

function printCounts(title: string, counts: Iterable<[string, number]>, total: number): void {
  console.log(`\n${title}`);
  const rows = [...counts].sort((a, b) => b[1] - a[1]);
  for (const [name, count] of rows) {
    console.log(`  ${name.padEnd(44)} ${String(count).padStart(8)}  ${((count / total) * 100).toFixed(2)}%`);
  }
}

function printVerdicts(verdicts: Verdict[]): boolean {
  console.log('\nverdicts');
  for (const verdict of verdicts)
    console.log(`  ${verdict.ok ? 'PASS' : 'FAIL'}  ${verdict.name}: ${verdict.detail}`);
  return verdicts.every((verdict) => verdict.ok);
}

function upstreamFaults(world: SoakWorld): Map<string, number> {
  const merged = new Map<string, number>();
  for (const upstream of world.upstreams) {
    for (const [kind, count] of Object.entries(upstream.faultCounts()))
      merged.set(kind, (merged.get(kind) ?? 0) + count);
  }
  return merged;
}

async function main(): Promise<void> {
  const plan = options();
  const dir = mkdtempSync(join(tmpdir(), 'apex-soak-'));
  const world = await startWorld(dir, plan.seed);
  const child = await startProxyChild(world.configFile);
  try {
    const shares = FAULT_SHARES.map(([name, share]) => `${name} ${(share * 100).toFixed(1)}%`).join(', ');
    console.log(`soak: ${plan.requests} requests, concurrency ${plan.concurrency}, proxy pid ${child.pid}`);
    console.log(`faults per upstream call: ${shares}`);
    console.log(`and each upstream answers 503 for ${OUTAGE_MS} ms of every ${OUTAGE_EVERY_MS} ms`);
    console.log(`resilience: ${JSON.stringify(RESILIENCE)}`);
    const warmup = Math.min(2_000, Math.floor(plan.requests / 20));
    await runLoad(
      {
        port: child.port,
        total: warmup,
        concurrency: plan.concurrency,
        seed: plan.seed + 99,
        clientTimeoutMs: CLIENT_TIMEOUT_MS,
      },
      newLoadState(),
    );
    await drained(child, warmup);
    const baseline = await takeSample(child, world, Date.now(), 0);
    const { state, samples, seconds } = await soak(child, world, plan);
    await drained(child, warmup + plan.requests);
    const final = await takeSample(child, world, Date.now() - seconds * 1000, state.completed);
    const events = await child.outcomes();
    console.log(`\nsamples (heap after forced GC; sockets as the proxy sees them)\n${SAMPLE_HEADER}`);
    for (const sample of [...samples, final]) console.log(sampleRow(sample));
    printCounts('what clients saw', state.outcomes, plan.requests);
    printCounts(
      'usage events (status, errorClass), warm-up included',
      Object.entries(events.outcomes),
      events.recorded,
    );
    const upstreamCalls = world.upstreams.reduce((sum, upstream) => sum + upstream.count(), 0);
    printCounts(
      `upstream calls by fault (${upstreamCalls} in all, warm-up included)`,
      upstreamFaults(world),
      upstreamCalls,
    );
    console.log(
      `\nretried: ${state.retried} answers took more than one upstream call; ` +
        `x-apex-served-by named the fallback provider on ${state.fellBack} ` +
        '(including requests an open breaker sent straight to the fallback)',
    );
    printAttempts(await attemptSeries(child.port));
    console.log(
      `\nthroughput: ${plan.requests} requests in ${seconds.toFixed(1)} s = ${(plan.requests / seconds).toFixed(0)} req/s`,
    );
    const ok = printVerdicts([
      socketVerdict(baseline, final, 2 * CONNECTIONS_PER_PROVIDER),
      memoryVerdict(samples, plan.requests),
      eventsVerdict(warmup + plan.requests, events.recorded),
      clientHangVerdict(state),
    ]);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await child.stop();
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The proxy's own count of upstream calls by deployment and outcome, from its /metrics. */
async function attemptSeries(port: number): Promise<string[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text.split('\n').filter((line) => /^apex_(upstream_attempts_total|circuit_state)\{/.test(line));
}

function printAttempts(lines: string[]): void {
  console.log('\n/metrics: upstream attempts and breakers');
  for (const line of lines) console.log(`  ${line}`);
}

/** No client waited out its own timeout: every request got an answer or a clean error. */
function clientHangVerdict(state: LoadState): Verdict {
  const hung = [...state.outcomes]
    .filter(([name]) => name.startsWith('client:'))
    .reduce((n, [, c]) => n + c, 0);
  return {
    name: 'no client left hanging',
    ok: hung === 0,
    detail: `${hung} requests ended without an HTTP answer`,
  };
}

await main();
