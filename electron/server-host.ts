// Runs the server (proxy + control API) in an Electron utilityProcess: a Node process Electron owns,
// so a crash in the server never takes the window down, and it needs no ELECTRON_RUN_AS_NODE (that
// fuse is off in packaged builds). Restarts it with backoff when it dies; stops it cleanly on quit.
import { utilityProcess, type UtilityProcess } from 'electron';
import type { DesktopControlMessage } from '../server/desktop-entry.ts';
import { parseServerMessage, restartDelay } from './server-messages.ts';

export interface ServerInfo {
  apiBase: string;
  token: string;
  proxyUrl: string;
}

export interface ServerHostOptions {
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Called on every (re)start: a restarted server has a new port and token. */
  onReady(info: ServerInfo): void;
  /** A failure to report; `failures` counts those in a row without a server that stayed up. */
  onProblem(message: string, failures: number): void;
}

export interface ServerHost {
  current(): ServerInfo | null;
  stop(): Promise<void>;
}

/** How long a quit waits for the server to flush its store before killing it. */
const STOP_GRACE_MS = 5_000;
/** A server that stayed up this long was healthy: its next crash restarts it without a long wait. */
const HEALTHY_AFTER_MS = 60_000;

export function startServerHost(options: ServerHostOptions): ServerHost {
  let child: UtilityProcess | null = null;
  let info: ServerInfo | null = null;
  let readyAt = 0;
  let failures = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;

  const onExit = (proc: UtilityProcess, code: number): void => {
    if (child !== proc) return;
    child = null;
    info = null;
    if (stopping) return;
    if (readyAt > 0 && Date.now() - readyAt >= HEALTHY_AFTER_MS) failures = 0;
    failures += 1;
    options.onProblem(`the Apex server stopped (exit code ${code}); restarting`, failures);
    timer = setTimeout(launch, restartDelay(failures - 1));
  };

  const onMessage = (data: unknown): void => {
    const message = parseServerMessage(data);
    if (message?.type === 'ready') {
      info = { apiBase: message.apiBase, token: message.token, proxyUrl: message.proxyUrl };
      readyAt = Date.now();
      options.onReady(info);
    } else if (message?.type === 'error') {
      options.onProblem(`the Apex server could not start: ${message.message}`, failures + 1);
    }
  };

  function launch(): void {
    timer = null;
    readyAt = 0;
    const proc = utilityProcess.fork(options.entry, [], {
      serviceName: 'Netra Apex server',
      env: options.env,
      stdio: 'inherit',
    });
    child = proc;
    proc.on('message', onMessage);
    proc.on('exit', (code) => onExit(proc, code));
  }

  launch();
  return {
    current: () => info,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (child) await stopChild(child);
    },
  };
}

/** Asks the server to close (it flushes usage to the store), and kills it if it has not within the grace. */
function stopChild(proc: UtilityProcess): Promise<void> {
  return new Promise((done) => {
    const kill = setTimeout(() => proc.kill(), STOP_GRACE_MS);
    // kill() is followed by `exit`; this is the backstop should even that never come.
    const giveUp = setTimeout(done, STOP_GRACE_MS + 1_000);
    proc.once('exit', () => {
      clearTimeout(kill);
      clearTimeout(giveUp);
      done();
    });
    const stop: DesktopControlMessage = { type: 'stop' };
    proc.postMessage(stop);
  });
}
