import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { desktopOptions, startDesktopServer, type DesktopServerMessage } from '../../server/desktop-entry.ts';

const ENTRY = join(import.meta.dirname, '..', '..', 'server', 'desktop-entry.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'apex-desktop-entry-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Port 0 and no demo traffic keep runs independent of each other and of a real Apex on 4000. */
const ARGS = ['--port', '0', '--demo-rate', '0', '--log-level', 'warn'];
const ENV = { ...process.env, APEX_DATA_DIR: dataDir, APEX_CONFIG: '' };

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

/** The first JSON line the entry writes to stdout (its `post` without a parentPort). */
function firstMessage(child: ChildProcess): Promise<{ message: DesktopServerMessage; stdout: string }> {
  return new Promise((done, fail) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line) done({ message: JSON.parse(line) as DesktopServerMessage, stdout });
    });
    child.once('exit', (code) => fail(new Error(`exited (${code}) before ready:\n${stdout}`)));
  });
}

describe('server/desktop-entry.ts under plain node (no parentPort)', () => {
  it('starts serve, prints ready with a working API and token, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [ENTRY, ...ARGS], {
      env: ENV,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const { message, stdout } = await firstMessage(child);
    if (message.type !== 'ready') throw new Error(`expected ready, got ${JSON.stringify(message)}`);
    expect(message.apiBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(message.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The banner never shows the token: only the ready message carries it.
    expect(stdout.split('\n').filter((l) => l.includes(message.token))).toHaveLength(1);

    const status = await fetch(`${message.apiBase}/api/status`, {
      headers: { authorization: `Bearer ${message.token}` },
    });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ demo: true, proxyUrl: message.proxyUrl });
    expect((await fetch(`${message.apiBase}/api/status`)).status).toBe(401);
    expect((await fetch(`${message.proxyUrl}/healthz`)).status).toBe(200);

    const exit = exited(child);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('posts an error and exits 1 when serve cannot start', async () => {
    const env = { ...ENV, APEX_CONFIG: join(dataDir, 'missing.yaml') };
    const child = spawn(process.execPath, [ENTRY, ...ARGS], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    const exit = exited(child);
    const { message } = await firstMessage(child);
    expect(message.type).toBe('error');
    expect(await exit).toBe(1);
  });
});

describe('server/desktop-entry.ts with a parentPort (as in a utilityProcess)', () => {
  it('posts ready to the parent and closes on { type: "stop" }', async () => {
    // A stand-in for Electron's process.parentPort, over Node's IPC channel.
    // A stand-in for Electron's process.parentPort, over Node's IPC channel; ENTRY fills argv[1] as it
    // would for a script, so the options after it parse as usual.
    const fakePort = `
      process.parentPort = {
        postMessage: (message) => process.send(message),
        on: (_event, listener) => process.on('message', (data) => listener({ data })),
      };
      import(${JSON.stringify(pathToFileURL(ENTRY).href)});`;
    const child = spawn(process.execPath, ['-e', fakePort, ENTRY, ...ARGS], {
      env: ENV,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    const message = await new Promise<DesktopServerMessage>((done) => child.once('message', done as never));
    expect(message).toMatchObject({
      type: 'ready',
      apiBase: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/),
    });
    const exit = exited(child);
    child.send({ type: 'stop' });
    expect(await exit).toBe(0);
  });
});

describe('startDesktopServer (in process)', () => {
  it('posts ready once serve is up, and falls back to a free proxy port when the preferred one is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const taken = (blocker.address() as { port: number }).port;
    const posted: DesktopServerMessage[] = [];
    const server = await startDesktopServer(
      { dataDir, proxyPort: taken, demoRate: 0, logLevel: 'warn' },
      (message) => posted.push(message),
    );
    try {
      expect(posted).toHaveLength(1);
      const [ready] = posted;
      if (ready?.type !== 'ready') throw new Error('expected ready');
      expect(ready.proxyUrl).not.toBe(`http://127.0.0.1:${taken}`);
      expect(ready.token.length).toBeGreaterThanOrEqual(32);
      const res = await fetch(`${ready.apiBase}/api/status`, {
        headers: { authorization: `Bearer ${ready.token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
      blocker.close();
    }
  });
});

describe('desktopOptions', () => {
  it('takes argv first, then the environment, then defaults (proxy on 4000, demo traffic on)', () => {
    expect(desktopOptions([], { APEX_DATA_DIR: '/d' })).toEqual({
      dataDir: '/d',
      configFile: undefined,
      proxyPort: 4000,
      demoRate: 2,
      logLevel: 'info',
    });
    expect(
      desktopOptions(['--config', 'a.yaml', '--data-dir=/x', '--port', '4001'], {
        APEX_CONFIG: 'b.yaml',
        APEX_DATA_DIR: '/d',
        APEX_PORT: '5000',
      }),
    ).toMatchObject({ configFile: 'a.yaml', dataDir: '/x', proxyPort: 4001 });
    expect(desktopOptions(['--port', 'nope'], { APEX_CONFIG: 'c.yaml' })).toMatchObject({
      configFile: 'c.yaml',
      proxyPort: 4000,
    });
  });
});
