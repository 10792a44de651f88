// The server host for the desktop app: Electron main starts this file in a utilityProcess (bundled to
// out/cli/desktop-entry.js), as VS Code runs its pty host. It is plain Node: it never imports
// electron, so it also runs under `node server/desktop-entry.ts`, which is how its test drives it.
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createSessionToken } from './control/security.ts';
import { defaultDataDir } from './paths.ts';
import { serve, type RunningServe } from './serve.ts';

/** What the server host tells Electron main. */
export type DesktopServerMessage =
  { type: 'ready'; apiBase: string; token: string; proxyUrl: string } | { type: 'error'; message: string };

/** What Electron main tells the server host. */
export type DesktopControlMessage = { type: 'stop' };

export interface DesktopServerOptions {
  dataDir: string;
  /** Real providers from this config; demo mode (simulated providers) without one. */
  configFile?: string | undefined;
  /** The proxy's preferred port; a free one is taken when it is busy. */
  proxyPort: number;
  demoRate: number;
  logLevel: string;
}

export interface DesktopServer {
  running: RunningServe;
  close(): Promise<void>;
}

const PREFERRED_PROXY_PORT = 4000;
// A stable dashboard origin keeps the renderer's localStorage (theme, onboarding done) across launches.
const PREFERRED_CONTROL_PORT = 4100;

/** Options from argv (`--config`, `--data-dir`, `--port`, `--demo-rate`, `--log-level`) or the env. */
export function desktopOptions(argv: readonly string[], env: NodeJS.ProcessEnv): DesktopServerOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'demo-rate': { type: 'string' },
      'log-level': { type: 'string' },
    },
  });
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value ? value : undefined;
  return {
    configFile: text(values.config) ?? text(env.APEX_CONFIG),
    dataDir: text(values['data-dir']) ?? text(env.APEX_DATA_DIR) ?? defaultDataDir(env),
    proxyPort: numberOr(text(values.port) ?? text(env.APEX_PORT), PREFERRED_PROXY_PORT),
    // Demo mode sends a little simulated traffic so a first launch shows a live dashboard.
    demoRate: numberOr(text(values['demo-rate']), 2),
    logLevel: text(values['log-level']) ?? text(env.APEX_LOG_LEVEL) ?? 'info',
  };
}

function numberOr(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * Starts the proxy and control API with a fresh session token and posts `ready` through `post`.
 * The proxy's port is probed before serve() starts anything, because a failed listen inside serve()
 * would leave its store writer running.
 */
export async function startDesktopServer(
  options: DesktopServerOptions,
  post: (message: DesktopServerMessage) => void,
): Promise<DesktopServer> {
  const token = createSessionToken();
  const port = (await portIsFree(options.proxyPort)) ? options.proxyPort : 0;
  const controlPort =
    options.proxyPort === 0 ? 0 : (await portIsFree(PREFERRED_CONTROL_PORT)) ? PREFERRED_CONTROL_PORT : 0;
  const running = await serve({
    host: '127.0.0.1',
    port,
    dataDir: options.dataDir,
    configFile: options.configFile,
    demoRate: options.demoRate,
    logRequests: false,
    logLevel: options.logLevel,
    controlPort,
    controlToken: token,
    // The banner includes the dashboard URL with the token; the desktop app never writes it out.
    print: (line) => process.stdout.write(`${line.replaceAll(token, '<token>')}\n`),
  });
  const control = running.control;
  if (!control) throw new Error('the control API did not start');
  post({ type: 'ready', apiBase: control.url, token, proxyUrl: running.proxy.url });
  return { running, close: () => running.close() };
}

function portIsFree(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/** The slice of Electron's `process.parentPort` this file uses; it exists only in a utilityProcess. */
interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function parentPort(): ParentPortLike | undefined {
  return (process as unknown as { parentPort?: ParentPortLike }).parentPort;
}

function isStop(data: unknown): data is DesktopControlMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'stop';
}

/** Glue: the utilityProcess's port when there is one, JSON lines on stdout under plain Node. */
async function runAsEntry(port: ParentPortLike | undefined): Promise<void> {
  const post = port
    ? (message: DesktopServerMessage) => port.postMessage(message)
    : (message: DesktopServerMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);
  let server: DesktopServer | null = null;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // Before `ready` there is nothing to close yet: the start path below sees `stopping` instead.
    if (server) void closeAndExit(server);
  };
  port?.on('message', (event) => {
    if (isStop(event.data)) stop();
  });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    server = await startDesktopServer(desktopOptions(process.argv.slice(2), process.env), post);
    if (stopping) await closeAndExit(server);
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
}

async function closeAndExit(server: DesktopServer): Promise<void> {
  try {
    await server.close();
    process.exit(0);
  } catch (err) {
    process.stderr.write(`apex desktop server: close failed: ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  }
}

function isEntryModule(): boolean {
  const script = process.argv[1];
  return script !== undefined && resolve(script) === fileURLToPath(import.meta.url);
}

// Importing this module (tests, type imports) starts nothing; running it does.
if (parentPort() !== undefined || isEntryModule()) void runAsEntry(parentPort());
