// bench/proxy/compare.ts: this checkout's Apex against an earlier commit's, and both against the
// upstream direct, in one run on the same mock upstream, so that the machine's drift lands on all
// three. Usage: node bench/proxy/compare.ts [git-ref] (default HEAD: the last commit vs the working tree).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closedLoop, openLoop, percentile, pooled } from './load.ts';
import { freePort, startProcess, stop } from './processes.ts';
import { saturate } from './throughput.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SERIAL = Number(process.env.BENCH_SERIAL ?? 5_000);
const RATE = Number(process.env.BENCH_RATE ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Target {
  label: string;
  origin: string;
}

/** A detached worktree of `ref` with this checkout's node_modules and its own CLI bundle. */
function checkout(ref: string, into: string): string {
  const tree = join(into, 'baseline');
  execFileSync('git', ['worktree', 'add', '--detach', tree, ref], { stdio: 'ignore' });
  symlinkSync(resolve('node_modules'), join(tree, 'node_modules'));
  execFileSync(process.execPath, ['scripts/build-cli.ts'], { cwd: tree, stdio: 'ignore' });
  return tree;
}

async function startApex(
  root: string,
  config: string,
  dataDir: string,
): Promise<{ origin: string; stop(): Promise<void> }> {
  const port = await freePort();
  const args = ['serve', '--config', config, '--port', String(port), '--control-port', '0'];
  args.push('--data-dir', dataDir, '--quiet', '--log-level', 'warn');
  const started = await startProcess(join(root, 'bin/apex.js'), args, /listening on (\S+)/);
  return { origin: started.match[1]!, stop: () => stop(started.child) };
}

/** Rounds alternate between the targets; each target's samples are pooled across rounds. */
async function latency(targets: Target[], measure: (origin: string) => Promise<Float64Array>) {
  const samples = targets.map(() => [] as Float64Array[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, target] of targets.entries()) samples[index]!.push(await measure(target.origin));
  }
  return samples.map((rounds) => {
    const all = pooled(rounds);
    return { p50: percentile(all, 50), p99: percentile(all, 99) };
  });
}

function printLatency(title: string, targets: Target[], rows: Array<{ p50: number; p99: number }>): void {
  console.log(title);
  const direct = rows[0]!;
  for (const [index, row] of rows.entries()) {
    const added =
      index === 0
        ? ''
        : `  added p50 ${((row.p50 - direct.p50) / 1000).toFixed(3)} ms  p99 ${((row.p99 - direct.p99) / 1000).toFixed(3)} ms`;
    console.log(
      `  ${targets[index]!.label.padEnd(10)} p50 ${row.p50.toFixed(0)} µs  p99 ${row.p99.toFixed(0)} µs${added}`,
    );
  }
}

async function main(): Promise<void> {
  const ref = process.argv[2] ?? 'HEAD';
  const work = mkdtempSync(join(tmpdir(), 'apex-compare-'));
  const tree = checkout(ref, work);
  const upstream = await startProcess(process.execPath, ['bench/proxy/upstream.ts'], /ready (\d+)/);
  const upstreamOrigin = `http://127.0.0.1:${upstream.match[1]}`;
  const config = join(work, 'apex.yaml');
  writeFileSync(
    config,
    `providers:\n  openai:\n    kind: openai\n    baseUrl: ${upstreamOrigin}/v1\n    apiKey: bench-upstream-key\n` +
      `models:\n  - name: gpt-4o-mini\n    provider: openai\n`,
  );
  const current = await startApex('.', config, join(work, 'current'));
  const baseline = await startApex(tree, config, join(work, 'baseline-data'));
  const targets: Target[] = [
    { label: 'direct', origin: upstreamOrigin },
    { label: 'apex now', origin: current.origin },
    { label: `apex ${ref}`.slice(0, 10), origin: baseline.origin },
  ];
  try {
    console.log(`bench/proxy compare: working tree vs ${ref}, same upstream, usage logging on\n`);
    for (const target of targets) await saturate(target.origin, 3, CONNECTIONS, work);
    printLatency(
      `concurrency 1 (${SERIAL} requests each)`,
      targets,
      await latency(targets, (o) => closedLoop(o, Math.ceil(SERIAL / ROUNDS))),
    );
    printLatency(
      `fixed ${RATE} requests/s for ${SECONDS}s`,
      targets,
      await latency(targets, (o) => openLoop(o, RATE, Math.ceil(SECONDS / ROUNDS))),
    );
    console.log(`throughput (${CONNECTIONS} connections, ${SECONDS}s each)`);
    const rates: number[] = [];
    for (const target of targets)
      rates.push((await saturate(target.origin, SECONDS, CONNECTIONS, work)).requestsPerSecond);
    for (const [index, target] of targets.entries()) {
      const ofDirect = index === 0 ? '' : `  ${((rates[index]! / rates[0]!) * 100).toFixed(1)}% of direct`;
      console.log(`  ${target.label.padEnd(10)} ${rates[index]!.toFixed(0)} req/s${ofDirect}`);
    }
    console.log(`  now / ${ref}: ${((rates[1]! / rates[2]!) * 100).toFixed(1)}%`);
  } finally {
    await current.stop();
    await baseline.stop();
    await stop(upstream.child);
    execFileSync('git', ['worktree', 'remove', '--force', tree], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
