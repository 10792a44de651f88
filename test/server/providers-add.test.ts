import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvidersResponse } from '../../contracts/control-api.ts';
import type { RunningServe } from '../../server/serve.ts';
import { serveQuietly } from '../support/quiet-serve.ts';
import { tmpdir } from 'node:os';

const TOKEN = 'providers-add-token';
const KEY = 'sk-live-should-never-touch-disk-9876';
let running: RunningServe;
let configFile: string;
let dir: string;

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${running.control?.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apex-providers-'));
  configFile = join(dir, 'apex.yaml');
  writeFileSync(
    configFile,
    '# my team config\nproviders:\n  openai: { kind: openai }   # callers bring keys\nmodels:\n  - { name: gpt-4o, provider: openai }\n',
  );
  process.env['APEX_TEST_GROQ_KEY'] = KEY;
  running = await serveQuietly({ controlToken: TOKEN, dataDir: dir, configFile });
});
afterAll(async () => {
  delete process.env['APEX_TEST_GROQ_KEY'];
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('adding a provider from the dashboard', () => {
  it('writes the provider with a ${VAR} key reference, keeping the file’s comments, and the proxy reloads it', async () => {
    const reply = await post('/api/providers', {
      name: 'groq',
      kind: 'openai-compatible',
      baseUrl: 'https://api.groq.com/openai/v1',
      apiKeyEnv: 'APEX_TEST_GROQ_KEY',
      models: ['llama-3.3-70b-versatile'],
    });
    expect(reply.status).toBe(201);
    const added = (reply.json as ProvidersResponse).providers.find((p) => p.name === 'groq');
    expect(added).toMatchObject({
      keySource: 'config',
      keyHint: '…9876',
      models: ['llama-3.3-70b-versatile'],
    });
    const text = readFileSync(configFile, 'utf8');
    expect(text).toContain('apiKey: ${APEX_TEST_GROQ_KEY}');
    expect(text).toContain('# my team config');
    expect(text).not.toContain(KEY);
    await expect
      .poll(() => running.proxy.runtime().config.providers['groq']?.apiKey, { timeout: 10_000 })
      .toBe(KEY);
  });

  it('refuses a raw key, a duplicate name, an unset variable and bad input, each with a clear message', async () => {
    const raw = await post('/api/providers', { name: 'x', kind: 'openai', apiKey: KEY, models: ['m'] });
    expect(raw).toMatchObject({ status: 400, json: { error: { code: 'key_not_accepted' } } });
    const duplicate = await post('/api/providers', { name: 'openai', kind: 'openai', models: ['m'] });
    expect(duplicate).toMatchObject({ status: 409, json: { error: { code: 'provider_exists' } } });
    const unset = await post('/api/providers', {
      name: 'y',
      kind: 'openai',
      apiKeyEnv: 'APEX_TEST_UNSET_VAR',
      models: ['m'],
    });
    expect(unset.status).toBe(400);
    expect(JSON.stringify(unset.json)).toMatch(/APEX_TEST_UNSET_VAR/);
    const bad = await post('/api/providers', { name: 'has space', kind: 'openai', models: ['m'] });
    expect(bad).toMatchObject({ status: 400, json: { error: { code: 'invalid_request' } } });
    expect(readFileSync(configFile, 'utf8')).not.toMatch(/\n {2}(x|y):/);
  });
});
