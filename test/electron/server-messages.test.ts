import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseServerMessage,
  restartDelay,
  serverEntryPath,
  serverEnvironment,
} from '../../electron/server-messages.ts';

const TOKEN = 'x'.repeat(43);

describe('serverEntryPath', () => {
  const bundle = join('/app', 'out', 'cli', 'desktop-entry.js');

  it('runs the bundle inside a packaged app', () => {
    expect(serverEntryPath({ appPath: '/app', packaged: true, exists: () => false })).toBe(bundle);
  });

  it('runs the bundle in development once built, the TypeScript source before', () => {
    expect(serverEntryPath({ appPath: '/app', packaged: false, exists: (p) => p === bundle })).toBe(bundle);
    expect(serverEntryPath({ appPath: '/app', packaged: false, exists: () => false })).toBe(
      join('/app', 'server', 'desktop-entry.ts'),
    );
  });
});

describe('parseServerMessage', () => {
  it('accepts ready and error messages', () => {
    const ready = {
      type: 'ready',
      apiBase: 'http://127.0.0.1:4100',
      token: TOKEN,
      proxyUrl: 'http://127.0.0.1:4000',
    };
    expect(parseServerMessage(ready)).toEqual(ready);
    expect(parseServerMessage({ type: 'error', message: 'EACCES' })).toEqual({
      type: 'error',
      message: 'EACCES',
    });
  });

  it('drops anything malformed, and an API that is not on loopback', () => {
    for (const data of [
      null,
      'ready',
      { type: 'ready' },
      { type: 'ready', apiBase: 'http://evil.com:4100', token: TOKEN, proxyUrl: 'x' },
      { type: 'ready', apiBase: 'file:///x', token: TOKEN, proxyUrl: 'x' },
      { type: 'ready', apiBase: 'http://127.0.0.1:4100', token: 'short', proxyUrl: 'x' },
      { type: 'error', message: 42 },
      { type: 'stop' },
    ]) {
      expect(parseServerMessage(data), JSON.stringify(data)).toBeNull();
    }
  });
});

describe('restartDelay', () => {
  it('doubles from a second up to half a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelay)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});

describe('serverEnvironment', () => {
  it('passes the app its --config and --data-dir as the server reads them', () => {
    const env = serverEnvironment(
      ['/opt/Netra Apex/netra-apex', '--config=apex.yaml', '--data-dir', '/data', '--no-sandbox'],
      { PATH: '/bin', ELECTRON_RUN_AS_NODE: '1' },
      null,
    );
    expect(env).toEqual({ PATH: '/bin', APEX_CONFIG: resolve('apex.yaml'), APEX_DATA_DIR: '/data' });
  });

  it('keeps the environment otherwise, and says where packaged resources are', () => {
    const env = serverEnvironment(['electron', '.'], { APEX_CONFIG: '/etc/apex.yaml' }, '/app/resources');
    expect(env).toEqual({
      APEX_CONFIG: '/etc/apex.yaml',
      APEX_RESOURCES_DIR: join('/app/resources', 'resources'),
    });
  });
});
