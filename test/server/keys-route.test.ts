import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CreatedKeyResponse,
  KeyCreateRequest,
  KeyResponse,
  KeysResponse,
  VirtualKeyInfo,
} from '../../contracts/virtual-keys.ts';
import { startControlServer } from '../../server/control/control-server.ts';
import { LiveHub } from '../../server/control/live.ts';
import { findRoute, type ControlDeps } from '../../server/control/routes.ts';
import type { RunningServe } from '../../server/serve.ts';
import { serveQuietly } from '../support/quiet-serve.ts';

const TOKEN = 'keys-route-token-0123456789';
const DOLLAR = 1_000_000_000;
let running: RunningServe;
let dataDir: string;

interface Reply<T> {
  status: number;
  body: T;
  text: string;
}

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` },
): Promise<Reply<T>> {
  const response = await fetch(`${running.control?.url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, text };
}

type ErrorBody = { error: { code: string; message: string } };

async function create(request: KeyCreateRequest): Promise<CreatedKeyResponse> {
  const reply = await call<CreatedKeyResponse>('POST', '/api/keys', request);
  expect(reply.status).toBe(201);
  return reply.body;
}

async function listed(id: string): Promise<VirtualKeyInfo | undefined> {
  const reply = await call<KeysResponse>('GET', '/api/keys');
  expect(reply.status).toBe(200);
  return reply.body.keys.find((key) => key.id === id);
}

function authenticate(secret: string) {
  return running.proxy.keys.access.authenticate({ authorization: `Bearer ${secret}` });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'apex-keys-route-'));
  running = await serveQuietly({ controlToken: TOKEN, dataDir });
});
afterAll(async () => {
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('creating and listing virtual keys', () => {
  it('answers 201 with the secret once; the list shows the key with zero spend and never the secret', async () => {
    const created = await create({
      name: 'alice',
      project: 'search',
      budgetDailyNanos: 5 * DOLLAR,
      budgetMonthlyNanos: 100 * DOLLAR,
      rpm: 60,
      tpm: 100_000,
      models: ['gpt-4o*', 'claude-*'],
    });
    expect(created.secret).toMatch(/^sk-apex-[0-9A-Za-z]{32}$/);
    expect(created.key).toMatchObject({ name: 'alice', revokedAt: null, spendTodayNanos: 0 });
    expect(created.key.hint).toBe(`${created.secret.slice(0, 7)}...${created.secret.slice(-4)}`);

    const list = await call<KeysResponse>('GET', '/api/keys');
    const key = list.body.keys.find((k) => k.id === created.key.id);
    expect(key).toEqual({
      id: created.key.id,
      name: 'alice',
      project: 'search',
      hint: created.key.hint,
      createdAt: created.key.createdAt,
      revokedAt: null,
      budgetDailyNanos: 5 * DOLLAR,
      budgetMonthlyNanos: 100 * DOLLAR,
      rpm: 60,
      tpm: 100_000,
      models: ['gpt-4o*', 'claude-*'],
      spendTodayNanos: 0,
      spendMonthNanos: 0,
    });
    const hash = running.proxy.keys.store.get(created.key.id)?.secretHash ?? 'missing';
    expect(list.text).not.toContain(created.secret);
    expect(list.text).not.toContain(hash);
    expect(list.text).not.toMatch(/secret/i);
  });

  it('fills what is left out with "unlimited" and shows spend from the ledger in nano-dollars', async () => {
    const { key } = await create({ name: '  bob  ' });
    expect(key).toMatchObject({
      name: 'bob',
      project: null,
      budgetDailyNanos: null,
      budgetMonthlyNanos: null,
      rpm: null,
      tpm: null,
      models: [],
    });
    running.proxy.keys.access.ledger.record(key.id, 1_234_567_891, Date.now());
    expect(await listed(key.id)).toMatchObject({
      spendTodayNanos: 1_234_567_891,
      spendMonthNanos: 1_234_567_891,
    });
  });

  it('hands out a secret that the proxy authenticates as that key', async () => {
    const { key, secret } = await create({ name: 'ci-bot', project: 'ci' });
    const auth = authenticate(secret);
    expect(auth.ok).toBe(true);
    expect(auth.ok && auth.key?.id).toBe(key.id);
  });
});

describe('changing and revoking a key', () => {
  it('patches name, project, budgets, limits and models; null clears one', async () => {
    const { key, secret } = await create({ name: 'carol', budgetDailyNanos: DOLLAR, rpm: 10 });
    const reply = await call<KeyResponse>('PATCH', `/api/keys/${key.id}`, {
      name: 'carol (team)',
      project: 'labs',
      budgetDailyNanos: null,
      budgetMonthlyNanos: 20 * DOLLAR,
      rpm: null,
      tpm: 5_000,
      models: ['gpt-4.1-mini'],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.key).toMatchObject({
      id: key.id,
      name: 'carol (team)',
      project: 'labs',
      budgetDailyNanos: null,
      budgetMonthlyNanos: 20 * DOLLAR,
      rpm: null,
      tpm: 5_000,
      models: ['gpt-4.1-mini'],
      hint: key.hint,
    });
    expect(await listed(key.id)).toEqual(reply.body.key);
    // The proxy sees the change at once: same secret, new limits.
    const auth = authenticate(secret);
    expect(auth.ok && auth.key?.tpm).toBe(5_000);
    const untouched = await call<KeyResponse>('PATCH', `/api/keys/${key.id}`, {});
    expect(untouched.body.key).toEqual(reply.body.key);
  });

  it('revokes idempotently; the key stays listed and its secret is refused as revoked', async () => {
    const { key, secret } = await create({ name: 'dave' });
    const first = await call<KeyResponse>('POST', `/api/keys/${key.id}/revoke`);
    expect(first.status).toBe(200);
    expect(first.body.key.revokedAt).toEqual(expect.any(Number));
    const again = await call<KeyResponse>('POST', `/api/keys/${key.id}/revoke`);
    expect(again.status).toBe(200);
    expect(again.body.key.revokedAt).toBe(first.body.key.revokedAt);
    expect(await listed(key.id)).toMatchObject({ name: 'dave', revokedAt: first.body.key.revokedAt });
    expect(authenticate(secret)).toMatchObject({ ok: false, status: 401, code: 'key_revoked' });
  });
});

describe('refusals', () => {
  it('answers 400 naming the path of each invalid field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /^name: /],
      [{ name: '   ' }, /^name: /],
      [{ name: 'x', budgetDailyNanos: 1.5 }, /^budgetDailyNanos: /],
      [{ name: 'x', budgetMonthlyNanos: -1 }, /^budgetMonthlyNanos: /],
      [{ name: 'x', budgetDailyNanos: '5.00' }, /^budgetDailyNanos: /],
      [{ name: 'x', rpm: 0, tpm: 2e9 }, /^rpm: .*; tpm: /],
      [{ name: 'x', models: ['ok', ''] }, /^models\.1: /],
      [{ name: 'x', secret: 'sk-apex-mine' }, /secret/],
      [[1, 2], /expected object/i],
    ];
    for (const [body, message] of cases) {
      const reply = await call<ErrorBody>('POST', '/api/keys', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toBe('invalid_request');
      expect(reply.body.error.message, JSON.stringify(body)).toMatch(message);
    }
    const { key } = await create({ name: 'erin' });
    const patch = await call<ErrorBody>('PATCH', `/api/keys/${key.id}`, { tpm: 0, id: 'vk_other' });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toMatch(/tpm: /);
    expect(await listed(key.id)).toMatchObject({ tpm: null, name: 'erin' });
  });

  it('refuses bodies that are not JSON', async () => {
    const broken = await call<ErrorBody>('POST', '/api/keys', '{"name":');
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    const response = await fetch(`${running.control?.url}/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(response.status).toBe(415);
  });

  it('answers 404 for an unknown id, before looking at the body', async () => {
    const patch = await call<ErrorBody>('PATCH', '/api/keys/vk_nosuchkey000', { rpm: -5 });
    expect(patch).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(patch.body.error.message).toContain('vk_nosuchkey000');
    const revoke = await call<ErrorBody>('POST', '/api/keys/vk_nosuchkey000/revoke');
    expect(revoke.status).toBe(404);
    for (const path of ['/api/keys/%E0%A4%A/revoke', '/api/keys//revoke', '/api/keys/a%2Fb/revoke']) {
      expect((await call<ErrorBody>('POST', path)).status, path).toBe(404);
    }
    expect((await call<ErrorBody>('GET', '/api/keys/vk_nosuchkey000')).status).toBe(404);
  });

  it('answers 401 without the session token and changes nothing', async () => {
    const before = (await call<KeysResponse>('GET', '/api/keys')).body.keys.length;
    expect((await call('GET', '/api/keys', undefined, {})).status).toBe(401);
    expect((await call('POST', '/api/keys', { name: 'mallory' }, {})).status).toBe(401);
    const wrong = { authorization: 'Bearer not-the-token' };
    expect((await call('POST', '/api/keys', { name: 'mallory' }, wrong)).status).toBe(401);
    expect((await call<KeysResponse>('GET', '/api/keys')).body.keys.length).toBe(before);
  });
});

describe('route matching', () => {
  it('finds fixed paths by lookup and decodes :id parameters', () => {
    expect(findRoute('GET', '/api/keys')?.params).toEqual({});
    expect(findRoute('PATCH', '/api/keys/vk_abc')?.params).toEqual({ id: 'vk_abc' });
    expect(findRoute('POST', '/api/keys/vk%20x/revoke')?.params).toEqual({ id: 'vk x' });
    expect(findRoute('DELETE', '/api/keys/vk_abc')).toBeNull();
    expect(findRoute('POST', '/api/keys/vk_abc/unrevoke')).toBeNull();
    expect(findRoute('PATCH', '/api/keys/vk_abc/extra')).toBeNull();
  });

  it('answers 503 where the control API runs without a proxy', async () => {
    const deps = { hub: new LiveHub() } as unknown as ControlDeps;
    const control = await startControlServer({ deps, token: TOKEN, port: 0 });
    try {
      const response = await fetch(`${control.url}/api/keys`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: { code: 'keys_unavailable' } });
    } finally {
      await control.close();
    }
  });
});
