// Pure helpers for the server host: where its entry is, what it may say, how long to wait before a
// restart. Kept apart from server-host.ts so they are tested without Electron.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DesktopServerMessage } from '../server/desktop-entry.ts';

export interface EntryLookup {
  /** app.getAppPath(): the repository in development, app.asar when packaged. */
  appPath: string;
  packaged: boolean;
  exists(path: string): boolean;
}

/**
 * The server host's entry: the esbuild bundle (out/cli/desktop-entry.js, made by scripts/build-cli.ts)
 * inside app.asar when packaged, and in development too once built. A development checkout without
 * the bundle runs the TypeScript source, which Electron's Node runs by stripping types.
 */
export function serverEntryPath(lookup: EntryLookup): string {
  const bundle = join(lookup.appPath, 'out', 'cli', 'desktop-entry.js');
  if (lookup.packaged || lookup.exists(bundle)) return bundle;
  return join(lookup.appPath, 'server', 'desktop-entry.ts');
}

/** A message from the utility process, checked: it is another process, so nothing is assumed. */
export function parseServerMessage(data: unknown): DesktopServerMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as Record<string, unknown>;
  if (m.type === 'ready') {
    const { apiBase, token, proxyUrl } = m;
    if (typeof apiBase !== 'string' || typeof token !== 'string' || typeof proxyUrl !== 'string') return null;
    if (!isLoopbackHttp(apiBase) || token.length < 16) return null;
    return { type: 'ready', apiBase, token, proxyUrl };
  }
  if (m.type === 'error' && typeof m.message === 'string') return { type: 'error', message: m.message };
  return null;
}

function isLoopbackHttp(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  } catch {
    return false;
  }
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** Exponential backoff between restarts (1 s, 2 s, 4 s ... 30 s), so a server that dies at once does not spin. */
export function restartDelay(failures: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, failures));
}

/**
 * The server's environment: the app's own, plus `--config` / `--data-dir` given to the app itself
 * (as APEX_CONFIG / APEX_DATA_DIR, which the server reads) and, when packaged, where electron-builder
 * put resources/ (extraResources sit outside app.asar, under process.resourcesPath).
 */
export function serverEnvironment(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  resourcesPath: string | null,
): NodeJS.ProcessEnv {
  const { values } = parseArgs({
    // argv[0] is Electron itself; Chromium switches and the dev app path pass through harmlessly.
    args: argv.slice(1),
    strict: false,
    allowPositionals: true,
    options: { config: { type: 'string' }, 'data-dir': { type: 'string' } },
  });
  const out: NodeJS.ProcessEnv = { ...env };
  // Never let an inherited variable turn a child into a bare Node (the fuse is off when packaged anyway).
  delete out.ELECTRON_RUN_AS_NODE;
  if (typeof values.config === 'string' && values.config) out.APEX_CONFIG = resolve(values.config);
  if (typeof values['data-dir'] === 'string' && values['data-dir'])
    out.APEX_DATA_DIR = resolve(values['data-dir']);
  if (resourcesPath) out.APEX_RESOURCES_DIR = join(resourcesPath, 'resources');
  return out;
}
