// bench/optimizers: the latency each optimizer adds to a request through Apex. One all-off Apex
// stays up as the reference; each variant gets its own Apex (started in turn) and is driven at
// concurrency 1 with the body that exercises it, alternating rounds with the reference driven
// with the same body, so the difference is the optimizer's own cost. Needs `npm run build` and,
// for the semantic cache, `npm run fetch-model`.
//
// Env: BENCH_REQUESTS (per side per variant, default 2000), BENCH_ROUNDS (4), BENCH_WARMUP (300),
// BENCH_ONLY (comma-separated variant ids), BENCH_PROFILE (a variant id to run under --cpu-prof,
// profiles written to BENCH_PROFILE_DIR, default /tmp/prof).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, pooled } from '../proxy/load.ts';
import { freePort, startProcess, stop } from '../proxy/processes.ts';
import { measure, warm, type Outcome, type Side } from './driver.ts';
import { configFor, none, VARIANTS, type Variant } from './variants.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const PROFILE = process.env.BENCH_PROFILE;
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ?? '/tmp/prof';
// Re-warms the connection and code paths at the start of each round; not timed.
const ROUND_WARMUP = 20;

interface Row {
  id: string;
  label: string;
  body: string;
  tokens: number;
  p50: number;
  p99: number;
  baseP50: number;
  baseP99: number;
  addedP50: number;
  addedP99: number;
  sample: Outcome | null;
  seconds: number;
}

async function startApex(work: string, name: string, config: string, profile: boolean) {
  const dir = join(work, name);
  mkdirSync(dir);
  const file = join(dir, 'apex.yaml');
  writeFileSync(file, config);
  const port = await freePort();
  const args = ['serve', '--config', file, '--port', String(port), '--control-port', '0'];
  args.push('--data-dir', dir, '--quiet', '--log-level', 'warn');
  const ready = /listening on (\S+)/;
  // Started as an executable so its shebang's heap flags apply, as for a user running `apex serve`.
  const proxy = profile
    ? await startProcess(
        process.execPath,
        [
          '--max-semi-space-size=2',
          '--max-old-space-size=128',
          '--cpu-prof',
          `--cpu-prof-dir=${PROFILE_DIR}`,
        ].concat(['bin/apex.js', ...args]),
        ready,
      )
    : await startProcess('bin/apex.js', args, ready);
  return { child: proxy.child, origin: proxy.match[1]! };
}

/** Alternating rounds, reference then variant, so drift on a shared machine lands on both. */
async function compare(variant: Variant, base: Side, side: Side): Promise<Omit<Row, 'seconds'>> {
  await Promise.all([warm(base, WARMUP), warm(side, WARMUP)]);
  const baseRounds: Float64Array[] = [];
  const variantRounds: Float64Array[] = [];
  const perRound = Math.ceil(REQUESTS / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    baseRounds.push(await measure(base, perRound, ROUND_WARMUP));
    variantRounds.push(await measure(side, perRound, ROUND_WARMUP));
  }
  const b = pooled(baseRounds);
  const v = pooled(variantRounds);
  const [p50, p99, baseP50, baseP99] = [
    percentile(v, 50),
    percentile(v, 99),
    percentile(b, 50),
    percentile(b, 99),
  ];
  return {
    id: variant.id,
    label: variant.label,
    body: variant.body.name,
    tokens: variant.body.tokens,
    p50,
    p99,
    baseP50,
    baseP99,
    addedP50: p50 - baseP50,
    addedP99: p99 - baseP99,
    sample: side.sample,
  };
}

async function runVariant(work: string, upstream: string, reference: string, variant: Variant): Promise<Row> {
  const started = performance.now();
  const config = configFor(upstream, variant.settings, variant.fromDefaults);
  const apex = await startApex(work, variant.id, config, PROFILE === variant.id);
  try {
    const base: Side = { origin: reference, body: variant.body, check: none, sent: 0, sample: null };
    const side: Side = {
      origin: apex.origin,
      body: variant.body,
      check: variant.check,
      sent: 0,
      sample: null,
    };
    const row = await compare(variant, base, side);
    return { ...row, seconds: (performance.now() - started) / 1000 };
  } finally {
    await stop(apex.child);
  }
}

const ms = (us: number): string => (us / 1000).toFixed(3);
const signed = (us: number): string => `${us >= 0 ? '+' : ''}${ms(us)}`;

function line(cells: string[]): string {
  const widths = [32, 15, 7, 8, 8, 8, 8, 9, 9];
  return cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' ');
}

function printRow(row: Row): void {
  console.log(
    line([
      row.label,
      row.body,
      String(row.tokens),
      ms(row.p50),
      ms(row.p99),
      ms(row.baseP50),
      ms(row.baseP99),
      signed(row.addedP50),
      signed(row.addedP99),
    ]),
  );
}

function printHeader(): void {
  console.log(line(['variant', 'body', 'tokens', 'p50', 'p99', 'off p50', 'off p99', '+p50', '+p99']));
  console.log(line(['', '', '', 'ms', 'ms', 'ms', 'ms', 'ms', 'ms']));
}

function printOutcomes(rows: Row[]): void {
  console.log('\nwhat each variant did (x-apex-optimizations of its first measured response):');
  for (const row of rows) {
    const sample = row.sample?.optimizations || '(none)';
    console.log(
      `  ${row.id.padEnd(16)} ${sample}${row.sample?.cache ? `  [cache ${row.sample.cache}]` : ''}`,
    );
  }
  for (const row of rows.filter((r) => r.id === 'lossless' || r.id === 'lossy')) {
    const saved = /-(\d+)% prompt tokens/.exec(row.sample?.optimizations ?? '')?.[1];
    if (saved)
      console.log(`${row.label}: -${saved}% prompt tokens on the ${row.tokens}-token ${row.body} body`);
  }
}

const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const variants = VARIANTS.filter((v) => !ONLY || ONLY.includes(v.id));
  const work = mkdtempSync(join(tmpdir(), 'apex-bench-optimizers-'));
  const upstream = await startProcess(process.execPath, ['bench/proxy/upstream.ts'], /ready (\d+)/);
  const upstreamOrigin = `http://127.0.0.1:${upstream.match[1]}`;
  const reference = await startApex(work, 'reference', configFor(upstreamOrigin, {}), false);
  const started = performance.now();
  const loadBefore = load();
  const rows: Row[] = [];
  try {
    console.log(
      `bench/optimizers  upstream ${upstreamOrigin}  reference (all off) ${reference.origin}\n` +
        `concurrency 1, ${REQUESTS} requests per side per variant in ${ROUNDS} alternating rounds, ` +
        `${WARMUP} warm-up requests per process; latencies in ms, "off" = the all-off Apex with the same body\n`,
    );
    printHeader();
    for (const variant of variants) {
      const row = await runVariant(work, upstreamOrigin, reference.origin, variant);
      rows.push(row);
      printRow(row);
    }
    printOutcomes(rows);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `\nload average (1/5/15 min): before ${loadBefore}  after ${load()}  (${seconds.toFixed(0)} s)`,
    );
    const result = {
      date: new Date().toISOString(),
      requests: REQUESTS,
      rounds: ROUNDS,
      warmup: WARMUP,
      rows,
    };
    mkdirSync('bench/results', { recursive: true });
    const out = join('bench/results', `optimizers-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, JSON.stringify({ ...result, loadBefore, loadAfter: load(), seconds }, null, 2));
    console.log(`full results: ${out}`);
  } finally {
    await stop(reference.child);
    await stop(upstream.child);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
