// Starting the proxy's child process and asking it questions over IPC.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProxySample } from './samples.ts';

const CHILD_SCRIPT = fileURLToPath(new URL('./proxy-child.ts', import.meta.url));

/** The flags `apex serve` runs with (bin/apex.js), plus --expose-gc for heap samples after a full GC. */
const NODE_FLAGS = ['--expose-gc', '--max-semi-space-size=2', '--max-old-space-size=128'];

export interface ProxyChild {
  port: number;
  pid: number;
  sample(): Promise<ProxySample>;
  outcomes(): Promise<{ outcomes: Record<string, number>; recorded: number }>;
  stop(): Promise<void>;
}

export async function startProxyChild(configFile: string): Promise<ProxyChild> {
  const child = spawn(process.execPath, [...NODE_FLAGS, CHILD_SCRIPT, configFile], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await readyPort(child);
  const pending = new Map<number, (reply: Record<string, unknown>) => void>();
  let nextId = 0;
  child.on('message', (message: { id: number }) => {
    pending.get(message.id)?.(message as Record<string, unknown>);
    pending.delete(message.id);
  });
  const ask = (type: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ type, id }, (error) => error && reject(error));
    });
  return {
    port,
    pid: child.pid!,
    sample: async () => (await ask('sample')).sample as ProxySample,
    outcomes: async () => (await ask('outcomes')) as { outcomes: Record<string, number>; recorded: number },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop', id: nextId++ });
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`the proxy child exited with ${code}: ${output}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /ready (\d+)/.exec(output);
      if (!ready) return;
      child.removeAllListeners('exit');
      resolve(Number(ready[1]));
    });
  });
}
