import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const APEX = join(ROOT, 'server', 'main.ts');

export interface RunningApex {
  dashboardUrl: string;
  apiBase: string;
  token: string;
  proxyUrl: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** `apex serve` (demo mode unless a config is given) on free ports with a fresh data directory. */
export async function startApex(
  options: { demoRate?: number; config?: string; env?: Record<string, string> } = {},
): Promise<RunningApex> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('the dashboard is not built: run `npm run build` before the end-to-end tests');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'apex-e2e-'));
  const args = [
    '--port',
    '0',
    '--control-port',
    '0',
    '--data-dir',
    dataDir,
    '--demo-rate',
    String(options.demoRate ?? 4),
  ];
  const child = spawn(
    process.execPath,
    [APEX, 'serve', ...args, ...(options.config ? ['--config', options.config] : [])],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  const banner = await readBanner(child);
  const dashboardUrl = match(banner, /dashboard: (\S+)/);
  const url = new URL(dashboardUrl);
  return {
    dashboardUrl,
    apiBase: url.origin,
    token: url.searchParams.get('token') ?? '',
    proxyUrl: match(banner, /listening on (\S+)/),
    dataDir,
    stop: () => stop(child, dataDir),
  };
}

function readBanner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`apex serve did not start:\n${out}\n${err}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('dashboard: ')) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`apex serve exited with ${code}:\n${out}\n${err}`)));
  });
}

function match(text: string, pattern: RegExp): string {
  const found = pattern.exec(text)?.[1];
  if (!found) throw new Error(`no ${pattern} in apex serve's output:\n${text}`);
  return found;
}

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
}
