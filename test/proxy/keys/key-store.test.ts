import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  VirtualKeyStore,
  virtualKeyCreateSchema,
  virtualKeyPatchSchema,
} from '../../../proxy/keys/key-store.ts';
import { fakeClock } from './fixtures.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-keys-'));
  dirs.push(dir);
  return join(dir, 'state', 'keys.db');
}

describe('VirtualKeyStore.create', () => {
  it('returns the secret once, with the key storing only its hash and hint', () => {
    const clock = fakeClock(1_700_000_000_000);
    const store = new VirtualKeyStore(':memory:', { clock: clock.now });
    const { key, secret } = store.create({ name: 'ci bot', project: 'search', budgetDailyNanos: 5e9 });
    expect(secret).toMatch(/^sk-apex-[0-9A-Za-z]{32}$/);
    expect(key.id).toMatch(/^vk_[0-9A-Za-z]{12}$/);
    expect(key.secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(key.hint).toBe(`${secret.slice(0, 7)}...${secret.slice(-4)}`);
    expect(key).toMatchObject({
      name: 'ci bot',
      project: 'search',
      createdAt: 1_700_000_000_000,
      revokedAt: null,
      budgetDailyNanos: 5_000_000_000,
      budgetMonthlyNanos: null,
      rpm: null,
      tpm: null,
      models: [],
    });
    expect(JSON.stringify(key)).not.toContain(secret);
  });

  it('draws a different secret and id every time', () => {
    const store = new VirtualKeyStore(':memory:');
    const made = Array.from({ length: 50 }, (_, i) => store.create({ name: `k${i}` }));
    expect(new Set(made.map((m) => m.secret)).size).toBe(50);
    expect(new Set(made.map((m) => m.key.id)).size).toBe(50);
  });

  it.each([
    [{}],
    [{ name: '' }],
    [{ name: 'x', budgetDailyNanos: -1 }],
    [{ name: 'x', budgetMonthlyNanos: 1.5 }],
    [{ name: 'x', rpm: 0 }],
    [{ name: 'x', tpm: 2_000_000_000 }],
    [{ name: 'x', models: [''] }],
    [{ name: 'x', secretHash: 'abc' }],
  ])('rejects invalid input %j with a ZodError', (input) => {
    const store = new VirtualKeyStore(':memory:');
    expect(() => store.create(input)).toThrow(ZodError);
    expect(store.list()).toEqual([]);
  });

  it('exports its schemas for the control API', () => {
    expect(virtualKeyCreateSchema.parse({ name: ' a ' })).toMatchObject({ name: 'a', models: [] });
    expect(virtualKeyPatchSchema.safeParse({ id: 'vk_x' }).success).toBe(false);
  });
});

describe('VirtualKeyStore reads', () => {
  it('lists keys oldest first without ever exposing a secret', () => {
    const clock = fakeClock(1_000);
    const store = new VirtualKeyStore(':memory:', { clock: clock.now });
    const first = store.create({ name: 'first' });
    clock.set(2_000);
    const second = store.create({ name: 'second', models: ['gpt-4o*'] });
    const listed = store.list();
    expect(listed.map((key) => key.name)).toEqual(['first', 'second']);
    const text = JSON.stringify(listed);
    expect(text).not.toContain(first.secret);
    expect(text).not.toContain(second.secret);
    expect(store.get(second.key.id)).toEqual(second.key);
    expect(store.get('vk_missing')).toBeNull();
  });

  it('finds a key by its secret and nothing else', () => {
    const store = new VirtualKeyStore(':memory:');
    const { key, secret } = store.create({ name: 'a' });
    expect(store.findBySecret(secret)?.id).toBe(key.id);
    const wrongBody = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(store.findBySecret(wrongBody)).toBeNull();
    expect(store.findBySecret(`sk-proj-${secret.slice(8)}`)).toBeNull();
    expect(store.findBySecret(`${secret}x`)).toBeNull();
    expect(store.findBySecret(key.secretHash)).toBeNull();
    expect(store.findBySecret('')).toBeNull();
  });

  it('hands out frozen keys, so a caller cannot change the cached copy', () => {
    const store = new VirtualKeyStore(':memory:');
    const { key } = store.create({ name: 'a', models: ['x'] });
    expect(Object.isFrozen(key)).toBe(true);
    expect(Object.isFrozen(store.get(key.id)?.models)).toBe(true);
  });
});

describe('VirtualKeyStore writes', () => {
  it('updates named fields, clears with null, and leaves the rest', () => {
    const store = new VirtualKeyStore(':memory:');
    const { key, secret } = store.create({ name: 'a', rpm: 10, tpm: 1_000, budgetMonthlyNanos: 7 });
    const updated = store.update(key.id, { name: 'b', rpm: null, models: ['claude-*'], project: 'p' });
    expect(updated).toMatchObject({ name: 'b', rpm: null, tpm: 1_000, budgetMonthlyNanos: 7 });
    expect(updated?.models).toEqual(['claude-*']);
    expect(updated?.project).toBe('p');
    expect(store.findBySecret(secret)).toEqual(updated);
    expect(store.update(key.id, {})).toEqual(updated);
    expect(store.update('vk_missing', { name: 'c' })).toBeNull();
  });

  it('rejects an invalid patch without changing the key', () => {
    const store = new VirtualKeyStore(':memory:');
    const { key, secret } = store.create({ name: 'a' });
    let thrown: unknown;
    try {
      store.update(key.id, { rpm: -5, secretHash: 'x' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ZodError);
    expect(String((thrown as Error).message)).not.toContain(secret);
    expect(store.get(key.id)).toEqual(key);
  });

  it('revokes once: the first time is kept and the key stays findable for a precise 401', () => {
    const clock = fakeClock(10);
    const store = new VirtualKeyStore(':memory:', { clock: clock.now });
    const { key, secret } = store.create({ name: 'a' });
    clock.set(20);
    expect(store.revoke(key.id)?.revokedAt).toBe(20);
    clock.set(30);
    expect(store.revoke(key.id)?.revokedAt).toBe(20);
    expect(store.findBySecret(secret)?.revokedAt).toBe(20);
    expect(store.revoke('vk_missing')).toBeNull();
  });
});

describe('VirtualKeyStore file', () => {
  it('keeps keys across restarts and never writes the secret to disk', () => {
    const file = tempFile();
    const store = new VirtualKeyStore(file);
    const { key, secret } = store.create({ name: 'a', budgetDailyNanos: 1 });
    store.update(key.id, { name: 'b' });
    const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
    expect(bytes.join('')).not.toContain(secret.slice(8));
    store.close();
    const reopened = new VirtualKeyStore(file);
    expect(reopened.findBySecret(secret)).toMatchObject({ id: key.id, name: 'b', budgetDailyNanos: 1 });
    reopened.close();
  });

  it('serves reads from memory until a write of its own or invalidate()', () => {
    const file = tempFile();
    const store = new VirtualKeyStore(file);
    const { key, secret } = store.create({ name: 'a' });
    expect(store.findBySecret(secret)?.revokedAt).toBeNull();
    const other = new Database(file);
    other.prepare('UPDATE virtual_keys SET revoked_at = 5 WHERE id = ?').run(key.id);
    other.close();
    // Another process's write is not seen: the hot path did not read the disk.
    expect(store.findBySecret(secret)?.revokedAt).toBeNull();
    store.invalidate();
    expect(store.findBySecret(secret)?.revokedAt).toBe(5);
    store.close();
  });

  it('sees its own writes at once', () => {
    const store = new VirtualKeyStore(':memory:');
    const { key, secret } = store.create({ name: 'a' });
    expect(store.findBySecret(secret)?.rpm).toBeNull();
    store.update(key.id, { rpm: 3 });
    expect(store.findBySecret(secret)?.rpm).toBe(3);
    store.revoke(key.id);
    expect(store.findBySecret(secret)?.revokedAt).not.toBeNull();
    const added = store.create({ name: 'b' });
    expect(store.findBySecret(added.secret)?.id).toBe(added.key.id);
  });
});
