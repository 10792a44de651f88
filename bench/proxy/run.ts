// bench/proxy: the same mock upstream driven directly and through Apex in one run.
// Prints requests/s both ways and their ratio, added latency p50/p99 at
// concurrency 1 and at a fixed 2,000 requests/s, and the proxy's RSS before and
// after BENCH_TOTAL (default 1M) requests. Usage logging to SQLite is on throughout.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { closedLoop, openLoop, percentile, pooled } from './load.ts';
import { freePort, rssMb, startProcess, stop } from './processes.ts';
import { saturate, type ThroughputResult } from './throughput.ts';

const TOTAL = Number(process.env.BENCH_TOTAL ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SERIAL = Number(process.env.BENCH_SERIAL ?? 5_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);

const us = (n: number): string => `${n.toFixed(0)} µs`;
const ms = (n: number): string => `${(n / 1000).toFixed(3)} ms`;

/**
 * Alternating rounds, direct then through Apex, so that drift on a shared
 * machine lands on both sides; each side's samples are pooled across rounds.
 */
async function latencyPair(
  direct: string,
  proxy: string,
  measure: (origin: string) => Promise<Float64Array>,
) {
  const directRounds: Float64Array[] = [];
  const proxyRounds: Float64Array[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    directRounds.push(await measure(direct));
    proxyRounds.push(await measure(proxy));
  }
  const d = pooled(directRounds);
  const p = pooled(proxyRounds);
  const row = (q: number) => ({
    direct: percentile(d, q),
    proxy: percentile(p, q),
    added: percentile(p, q) - percentile(d, q),
  });
  return { p50: row(50), p99: row(99) };
}

async function millionRequests(proxy: string, pid: number, work: string, perSecond: number) {
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(rssMb(pid)), 1000);
  let sent = 0;
  const rounds: ThroughputResult[] = [];
  while (sent < TOTAL) {
    const seconds = Math.max(5, Math.ceil(((TOTAL - sent) / perSecond) * 1.05));
    const round = await saturate(proxy, seconds, CONNECTIONS, work);
    rounds.push(round);
    sent += round.requests;
  }
  clearInterval(sampler);
  return { sent, samples, non2xx: rounds.reduce((n, r) => n + r.non2xx, 0) };
}

/** Requests the proxy counted (apex_requests_total), to check every one reached the store. */
async function requestsHandled(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('apex_requests_total{'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'apex-bench-'));
  const upstream = await startProcess(process.execPath, ['bench/proxy/upstream.ts'], /ready (\d+)/);
  const upstreamOrigin = `http://127.0.0.1:${upstream.match[1]}`;
  const config = join(work, 'apex.yaml');
  writeFileSync(
    config,
    `providers:\n  openai:\n    kind: openai\n    baseUrl: ${upstreamOrigin}/v1\n    apiKey: bench-upstream-key\n` +
      `models:\n  - name: gpt-4o-mini\n    provider: openai\n`,
  );
  const port = await freePort();
  // Started as an executable so its shebang's heap flags apply, as for a user running `apex serve`.
  const apexArgs = [
    'serve',
    '--config',
    config,
    '--port',
    String(port),
    '--control-port',
    '0',
    '--data-dir',
    work,
    '--quiet',
  ];
  const proxy = await startProcess('bin/apex.js', [...apexArgs, '--log-level', 'warn'], /listening on (\S+)/);
  const proxyOrigin = proxy.match[1]!;
  const pid = proxy.child.pid!;
  try {
    console.log(
      `bench/proxy  upstream ${upstreamOrigin}  apex ${proxyOrigin} (pid ${pid})  usage logging on\n`,
    );
    // Both servers run hot before anything is measured: a fresh process's first
    // thousands of requests run unoptimized code and would be charged to Apex.
    await saturate(upstreamOrigin, WARMUP_SECONDS, CONNECTIONS, work);
    await saturate(proxyOrigin, WARMUP_SECONDS, CONNECTIONS, work);
    const serial = await latencyPair(upstreamOrigin, proxyOrigin, (o) =>
      closedLoop(o, Math.ceil(SERIAL / ROUNDS)),
    );
    console.log(`concurrency 1 (${SERIAL} requests each)`);
    console.log(
      `  p50  direct ${us(serial.p50.direct)}  via apex ${us(serial.p50.proxy)}  added ${ms(serial.p50.added)}`,
    );
    console.log(
      `  p99  direct ${us(serial.p99.direct)}  via apex ${us(serial.p99.proxy)}  added ${ms(serial.p99.added)}`,
    );
    const fixed = await latencyPair(upstreamOrigin, proxyOrigin, (o) =>
      openLoop(o, RATE, Math.ceil(SECONDS / ROUNDS)),
    );
    console.log(`fixed ${RATE} requests/s for ${SECONDS}s`);
    console.log(
      `  p50  direct ${us(fixed.p50.direct)}  via apex ${us(fixed.p50.proxy)}  added ${ms(fixed.p50.added)}`,
    );
    console.log(
      `  p99  direct ${us(fixed.p99.direct)}  via apex ${us(fixed.p99.proxy)}  added ${ms(fixed.p99.added)}`,
    );
    const direct = await saturate(upstreamOrigin, SECONDS, CONNECTIONS, work);
    const through = await saturate(proxyOrigin, SECONDS, CONNECTIONS, work);
    const ratio = through.requestsPerSecond / direct.requestsPerSecond;
    console.log(`throughput (${direct.tool}, ${CONNECTIONS} connections, ${SECONDS}s)`);
    console.log(
      `  direct ${direct.requestsPerSecond.toFixed(0)} req/s  via apex ${through.requestsPerSecond.toFixed(0)} req/s  ratio ${(ratio * 100).toFixed(1)}%`,
    );
    const rssBefore = rssMb(pid);
    const million = await millionRequests(proxyOrigin, pid, work, through.requestsPerSecond);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rssAfter = rssMb(pid);
    const half = million.samples.slice(Math.floor(million.samples.length / 2));
    console.log(`memory over ${million.sent.toLocaleString()} requests (non-2xx ${million.non2xx})`);
    console.log(
      `  RSS before ${rssBefore.toFixed(1)} MB  after ${rssAfter.toFixed(1)} MB  peak ${Math.max(...million.samples).toFixed(1)} MB  second-half range ${Math.min(...half).toFixed(1)}-${Math.max(...half).toFixed(1)} MB`,
    );
    const handled = await requestsHandled(proxyOrigin);
    await stop(proxy.child);
    const db = new Database(join(work, 'apex.db'), { readonly: true });
    const stored = (db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n;
    db.close();
    console.log(
      `usage events: ${handled.toLocaleString()} requests handled, ${stored.toLocaleString()} committed after shutdown`,
    );
    const result = {
      date: new Date().toISOString(),
      serial,
      fixed,
      throughput: { direct, through, ratio },
      rss: { before: rssBefore, after: rssAfter, samples: million.samples },
      requests: million.sent,
      handled,
      stored,
    };
    mkdirSync('bench/results', { recursive: true });
    const out = join('bench/results', `proxy-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(`\nfull results: ${out}`);
  } finally {
    await stop(proxy.child);
    await stop(upstream.child);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
