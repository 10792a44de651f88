import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeWriteOps, writeFileAtomic, type WriteOps } from '../../electron/atomic-write.ts';
import {
  KeychainUnavailableError,
  createKeyStore,
  keyHint,
  osEncryptionUsable,
  type Cipher,
} from '../../electron/key-store.ts';

const OPENAI_KEY = 'sk-proj-0123456789abcdefghijWXYZ';
const ANTHROPIC_KEY = 'sk-ant-api03-abcdefghijklmnop-a1b2';

/** Stands in for safeStorage: reversible, and visibly not the plain text. */
function fakeCipher(available = true): Cipher & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    isAvailable: async () => available,
    encrypt: async (plain) => {
      calls.push('encrypt');
      return Buffer.from(`enc:${[...plain].reverse().join('')}`);
    },
    decrypt: async (encrypted) => {
      calls.push('decrypt');
      return [...encrypted.toString().slice(4)].reverse().join('');
    },
  };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apex-keys-'));
  file = join(dir, 'keys.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('key store', () => {
  it('stores keys encrypted and reveals them again (round trip)', async () => {
    const keys = createKeyStore({ file, cipher: fakeCipher() });
    expect(await keys.store('openai', OPENAI_KEY)).toEqual({ hint: '…WXYZ' });
    await keys.store('anthropic', ANTHROPIC_KEY);
    expect(await keys.reveal('openai')).toBe(OPENAI_KEY);
    expect(await keys.reveal('anthropic')).toBe(ANTHROPIC_KEY);
    expect(await keys.reveal('mistral')).toBeNull();
  });

  it('writes base64 ciphertext per provider and never the key itself', async () => {
    const keys = createKeyStore({ file, cipher: fakeCipher(), now: () => new Date('2026-01-02T03:04:05Z') });
    await keys.store('openai', OPENAI_KEY);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).not.toContain(OPENAI_KEY.slice(0, 12));
    const data = JSON.parse(text) as { version: number; keys: Record<string, { ciphertext: string }> };
    expect(data.version).toBe(1);
    expect(Buffer.from(data.keys.openai!.ciphertext, 'base64').toString()).toMatch(/^enc:/);
    expect(data.keys.openai).toMatchObject({ hint: '…WXYZ', storedAt: '2026-01-02T03:04:05.000Z' });
  });

  it('lists hints only, without decrypting anything', async () => {
    const cipher = fakeCipher();
    const keys = createKeyStore({ file, cipher });
    await keys.store('openai', OPENAI_KEY);
    await keys.store('anthropic', ANTHROPIC_KEY);
    cipher.calls.length = 0;
    const listed = await keys.list();
    expect(listed).toEqual([
      { provider: 'openai', hint: '…WXYZ' },
      { provider: 'anthropic', hint: '…a1b2' },
    ]);
    expect(JSON.stringify(listed)).not.toContain('sk-');
    expect(cipher.calls).toEqual([]);
  });

  it('replaces and removes keys; removing a missing one is fine', async () => {
    const keys = createKeyStore({ file, cipher: fakeCipher() });
    await keys.store('openai', OPENAI_KEY);
    await keys.store('openai', `${OPENAI_KEY}9999`);
    expect(await keys.list()).toEqual([{ provider: 'openai', hint: '…9999' }]);
    await keys.remove('openai');
    await keys.remove('openai');
    expect(await keys.list()).toEqual([]);
  });

  it('refuses to store when the OS offers no encryption, and writes nothing', async () => {
    const keys = createKeyStore({ file, cipher: fakeCipher(false) });
    await expect(keys.store('openai', OPENAI_KEY)).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(keys.store('openai', OPENAI_KEY)).rejects.toThrow(/never writes keys in plain text/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps concurrent stores from losing each other', async () => {
    const keys = createKeyStore({ file, cipher: fakeCipher() });
    const providers = ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'];
    await Promise.all(providers.map((p) => keys.store(p, `${OPENAI_KEY}-${p}`)));
    expect((await keys.list()).map((k) => k.provider).sort()).toEqual(providers);
  });

  it('validates provider names and keys, with messages that never echo the key', async () => {
    const keys = createKeyStore({ file, cipher: fakeCipher() });
    for (const provider of ['', '../etc', 'a b', '__proto__', 'x'.repeat(65)]) {
      await expect(keys.store(provider, OPENAI_KEY), provider).rejects.toThrow(/provider name/);
    }
    for (const key of ['', 'sk-with space-0123456789', `sk-line\nbreak-0123456789`, 'k'.repeat(5000)]) {
      const err = (await keys.store('openai', key).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/A key is/);
      if (key) expect(err.message).not.toContain(key);
    }
  });

  it('treats a provider named like an Object property as an ordinary name', async () => {
    const keys = createKeyStore({ file, cipher: fakeCipher() });
    expect(await keys.reveal('constructor')).toBeNull();
    await keys.store('constructor', OPENAI_KEY);
    expect(await keys.reveal('constructor')).toBe(OPENAI_KEY);
  });

  it('refuses to overwrite a damaged key file', async () => {
    writeFileSync(file, '{ not json');
    const keys = createKeyStore({ file, cipher: fakeCipher() });
    await expect(keys.store('openai', OPENAI_KEY)).rejects.toThrow(/not a key file/);
    expect(readFileSync(file, 'utf8')).toBe('{ not json');
  });

  it('hints at the last four characters of long keys only', () => {
    expect(keyHint(OPENAI_KEY)).toBe('…WXYZ');
    expect(keyHint('short-key')).toBe('…');
  });
});

describe('atomic write', () => {
  it('replaces the file whole and leaves nothing else behind', async () => {
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['keys.json']);
  });

  it('leaves the old file and no partial file when the write fails halfway', async () => {
    await writeFileAtomic(file, '{"version":1,"keys":{}}\n');
    const failing: WriteOps = {
      ...nodeWriteOps,
      writeFile: async (path, data, options) => {
        await nodeWriteOps.writeFile(path, data.slice(0, 5), options);
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    };
    const keys = createKeyStore({ file, cipher: fakeCipher(), writeOps: failing });
    await expect(keys.store('openai', OPENAI_KEY)).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"keys":{}}\n');
    expect(readdirSync(dir)).toEqual(['keys.json']);
  });

  it('cleans up when the rename fails', async () => {
    const failing: WriteOps = {
      ...nodeWriteOps,
      rename: async () => {
        throw new Error('EPERM: operation not permitted');
      },
    };
    await expect(writeFileAtomic(file, 'data', failing)).rejects.toThrow(/EPERM/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('writes the file readable by its owner only', async () => {
    const { statSync } = await import('node:fs');
    await writeFileAtomic(file, 'secret-ish');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('osEncryptionUsable', () => {
  it('refuses Linux basic_text (a hard-coded password) and anything unavailable', () => {
    expect(osEncryptionUsable('linux', 'basic_text', true)).toBe(false);
    expect(osEncryptionUsable('linux', 'unknown', true)).toBe(false);
    expect(osEncryptionUsable('linux', 'gnome_libsecret', true)).toBe(true);
    expect(osEncryptionUsable('linux', 'kwallet6', false)).toBe(false);
    expect(osEncryptionUsable('darwin', null, true)).toBe(true);
    expect(osEncryptionUsable('win32', null, false)).toBe(false);
  });
});
