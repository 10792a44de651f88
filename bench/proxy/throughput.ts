// Saturation throughput with wrk (C, light on the 2 cores the proxy needs) or,
// where wrk is not installed, autocannon.
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REQUEST_BODY } from './load.ts';

const run = promisify(execFile);

export interface ThroughputResult {
  tool: 'wrk' | 'autocannon';
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  non2xx: number;
}

const WRK_UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

export function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

export async function saturate(
  origin: string,
  seconds: number,
  connections: number,
  workDir: string,
): Promise<ThroughputResult> {
  return hasWrk() ? wrk(origin, seconds, connections, workDir) : autocannon(origin, seconds, connections);
}

async function wrk(
  origin: string,
  seconds: number,
  connections: number,
  workDir: string,
): Promise<ThroughputResult> {
  const script = join(workDir, 'post.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      `wrk.body = [[${REQUEST_BODY}]]`,
      'wrk.headers["Content-Type"] = "application/json"',
      'wrk.headers["Authorization"] = "Bearer bench-key"',
    ].join('\n'),
  );
  const url = `${origin}/v1/chat/completions`;
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, url];
  const { stdout } = await run('wrk', args, { maxBuffer: 1 << 20 });
  // wrk prints the duration with a unit that depends on its length: "in 10.01s", "in 1.83m".
  const summary = /(\d+) requests in ([\d.]+)(ms|s|m|h)\b/.exec(stdout);
  if (!summary) throw new Error(`cannot read wrk's summary:\n${stdout}`);
  const requests = Number(summary[1]);
  const elapsed = Number(summary[2]) * WRK_UNIT_SECONDS[summary[3]!]!;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  return { tool: 'wrk', requests, seconds: elapsed, requestsPerSecond: requests / elapsed, non2xx };
}

async function autocannon(origin: string, seconds: number, connections: number): Promise<ThroughputResult> {
  const bin = join(process.cwd(), 'node_modules', '.bin', 'autocannon');
  const args = ['-j', '-c', String(connections), '-d', String(seconds), '-m', 'POST'];
  args.push('-H', 'content-type=application/json', '-H', 'authorization=Bearer bench-key');
  args.push('-b', REQUEST_BODY, `${origin}/v1/chat/completions`);
  const { stdout } = await run(bin, args, { maxBuffer: 16 << 20 });
  const result = JSON.parse(stdout) as { requests: { total: number }; duration: number; non2xx: number };
  return {
    tool: 'autocannon',
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    non2xx: result.non2xx,
  };
}
