import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvidersResponse } from '../../contracts/control-api.ts';
import type { RunningServe } from '../../server/serve.ts';
import { serveQuietly } from '../support/quiet-serve.ts';
import { tmpdir } from 'node:os';
import { parse as parseYaml } from 'yaml';

const TOKEN = 'providers-add-token';
const KEY = 'sk-live-should-never-touch-disk-9876';
const AWS_KEY_ID = 'AKIAAPEXTESTKEY0WXYZ';
const AWS_SECRET = 'aws-secret-should-never-touch-disk-1234567890';
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
  process.env['APEX_TEST_AWS_KEY_ID'] = AWS_KEY_ID;
  process.env['APEX_TEST_AWS_SECRET'] = AWS_SECRET;
  running = await serveQuietly({ controlToken: TOKEN, dataDir: dir, configFile });
});
afterAll(async () => {
  delete process.env['APEX_TEST_GROQ_KEY'];
  delete process.env['APEX_TEST_AWS_KEY_ID'];
  delete process.env['APEX_TEST_AWS_SECRET'];
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

/** The provider entry as written to the file, read back as plain YAML (no ${VAR} substitution). */
function writtenEntry(name: string): unknown {
  const doc = parseYaml(readFileSync(configFile, 'utf8')) as { providers: Record<string, unknown> };
  return doc.providers[name];
}

describe('adding an AWS Bedrock provider from the dashboard', () => {
  it('writes kind, region and model routes, no key at all, and shows the AWS default chain', async () => {
    const reply = await post('/api/providers', {
      name: 'bedrock-chain',
      kind: 'bedrock',
      region: 'us-east-1',
      models: ['amazon.nova-lite-v1:0'],
    });
    expect(reply.status).toBe(201);
    const added = (reply.json as ProvidersResponse).providers.find((p) => p.name === 'bedrock-chain');
    expect(added).toEqual({
      name: 'bedrock-chain',
      kind: 'bedrock',
      baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      keySource: 'aws-default-chain',
      keyHint: null,
      models: ['amazon.nova-lite-v1:0'],
    });
    expect(writtenEntry('bedrock-chain')).toEqual({ kind: 'bedrock', region: 'us-east-1' });
    expect(readFileSync(configFile, 'utf8')).toMatch(
      /- name: amazon\.nova-lite-v1:0\n\s+provider: bedrock-chain/,
    );
    await expect
      .poll(() => running.proxy.runtime().config.providers['bedrock-chain']?.region, { timeout: 10_000 })
      .toBe('us-east-1');
  });

  it('writes the AWS keys as ${VAR} references, never their values, with an endpoint override', async () => {
    const reply = await post('/api/providers', {
      name: 'bedrock-keys',
      kind: 'bedrock',
      region: 'eu-west-3',
      baseUrl: 'https://vpce-0123.bedrock-runtime.eu-west-3.vpce.amazonaws.com',
      accessKeyIdEnv: 'APEX_TEST_AWS_KEY_ID',
      secretAccessKeyEnv: 'APEX_TEST_AWS_SECRET',
      sessionTokenEnv: 'APEX_TEST_AWS_SECRET',
      models: ['mistral.mistral-large-2402-v1:0'],
    });
    expect(reply.status).toBe(201);
    const added = (reply.json as ProvidersResponse).providers.find((p) => p.name === 'bedrock-keys');
    expect(added).toMatchObject({
      kind: 'bedrock',
      baseUrl: 'https://vpce-0123.bedrock-runtime.eu-west-3.vpce.amazonaws.com',
      keySource: 'config',
      keyHint: '…WXYZ',
    });
    expect(writtenEntry('bedrock-keys')).toEqual({
      kind: 'bedrock',
      region: 'eu-west-3',
      baseUrl: 'https://vpce-0123.bedrock-runtime.eu-west-3.vpce.amazonaws.com',
      accessKeyId: '${APEX_TEST_AWS_KEY_ID}',
      secretAccessKey: '${APEX_TEST_AWS_SECRET}',
      sessionToken: '${APEX_TEST_AWS_SECRET}',
    });
    const text = readFileSync(configFile, 'utf8');
    expect(text).not.toContain(AWS_SECRET);
    expect(text).not.toContain(AWS_KEY_ID);
    expect(JSON.stringify(reply.json)).not.toContain(AWS_SECRET);
    await expect
      .poll(() => running.proxy.runtime().config.providers['bedrock-keys']?.secretAccessKey, {
        timeout: 10_000,
      })
      .toBe(AWS_SECRET);
  });

  it('refuses a bad region, a missing region, half a key pair, an API key and Bedrock fields on other kinds', async () => {
    const before = readFileSync(configFile, 'utf8');
    const bedrock = { name: 'b', kind: 'bedrock', models: ['m'] };
    const cases: Array<[body: Record<string, unknown>, code: string, message: RegExp]> = [
      [{ ...bedrock, region: 'US East 1' }, 'invalid_request', /region: an AWS region such as us-east-1/],
      [{ ...bedrock, region: 'useast1' }, 'invalid_request', /region: an AWS region/],
      [bedrock, 'invalid_request', /region: required for kind "bedrock"/],
      [
        { ...bedrock, region: 'us-east-1', accessKeyIdEnv: 'APEX_TEST_AWS_KEY_ID' },
        'invalid_request',
        /secretAccessKeyEnv: accessKeyIdEnv and secretAccessKeyEnv go together/,
      ],
      [
        {
          ...bedrock,
          region: 'us-east-1',
          accessKeyIdEnv: 'APEX_TEST_UNSET_ID',
          secretAccessKeyEnv: 'APEX_TEST_AWS_SECRET',
        },
        'config_rejected',
        /APEX_TEST_UNSET_ID/,
      ],
      [
        { ...bedrock, region: 'us-east-1', sessionTokenEnv: 'AWS_SESSION_TOKEN' },
        'invalid_request',
        /sessionTokenEnv: a session token goes with/,
      ],
      [
        { ...bedrock, region: 'us-east-1', apiKeyEnv: 'APEX_TEST_GROQ_KEY' },
        'invalid_request',
        /apiKeyEnv: does not apply to kind "bedrock"/,
      ],
      [
        { ...bedrock, region: 'us-east-1', secretAccessKey: AWS_SECRET },
        'key_not_accepted',
        /secretAccessKeyEnv/,
      ],
      [
        { name: 'o', kind: 'openai', region: 'us-east-1', models: ['m'] },
        'invalid_request',
        /region: applies only to kind "bedrock"/,
      ],
      [
        { name: 'o', kind: 'anthropic', accessKeyIdEnv: 'A', secretAccessKeyEnv: 'B', models: ['m'] },
        'invalid_request',
        /accessKeyIdEnv: applies only to kind "bedrock".*secretAccessKeyEnv: applies only/,
      ],
    ];
    for (const [body, code, message] of cases) {
      const reply = await post('/api/providers', body);
      expect(reply, JSON.stringify(body)).toMatchObject({ status: 400, json: { error: { code } } });
      expect((reply.json as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(readFileSync(configFile, 'utf8')).toBe(before);
  });
});
