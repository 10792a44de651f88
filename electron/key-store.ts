// Provider keys at rest: encrypted by the OS (Electron safeStorage, injected as a Cipher) and kept in
// <userData>/keys.json as base64 ciphertext per provider. Pure logic, no electron import: tests pass a
// fake cipher. Keys are never logged, never returned to the renderer: only hints come out.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, nodeWriteOps, type WriteOps } from './atomic-write.ts';

export interface Cipher {
  /** False when the OS offers no real encryption (e.g. Linux without a keyring). */
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Buffer>;
  decrypt(encrypted: Buffer): Promise<string>;
}

interface StoredKey {
  /** The OS-encrypted key, base64. */
  ciphertext: string;
  /** What the UI may show: the last four characters, kept beside the ciphertext so listing decrypts nothing. */
  hint: string;
  storedAt: string;
}

interface KeyFile {
  version: 1;
  keys: Record<string, StoredKey>;
}

export class KeychainUnavailableError extends Error {
  constructor() {
    super(
      'No OS keychain encryption is available, so Apex will not store the key (it never writes keys in plain text)',
    );
    this.name = 'KeychainUnavailableError';
  }
}

const PROVIDER = /^[a-z0-9][a-z0-9._-]{0,63}$/i;
const MAX_KEY_LENGTH = 4096;
/** Matches the control API's provider hints: keys shorter than this show nothing of themselves. */
const MIN_KEY_FOR_HINT = 16;

export function keyHint(key: string): string {
  return key.length >= MIN_KEY_FOR_HINT ? `…${key.slice(-4)}` : '…';
}

export interface KeyStoreOptions {
  file: string;
  cipher: Cipher;
  writeOps?: WriteOps;
  now?: () => Date;
}

export interface KeyStore {
  store(provider: string, key: string): Promise<{ hint: string }>;
  remove(provider: string): Promise<void>;
  list(): Promise<Array<{ provider: string; hint: string }>>;
  /** The plain key, for main-process use only (handing it to the server); never exposed over IPC. */
  reveal(provider: string): Promise<string | null>;
}

export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const ops = options.writeOps ?? nodeWriteOps;
  const now = options.now ?? (() => new Date());
  // One change at a time: two concurrent stores must not each write a file missing the other's key.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  const save = (data: KeyFile): Promise<void> =>
    writeFileAtomic(options.file, `${JSON.stringify(data, null, 2)}\n`, ops);

  return {
    store: (provider, key) =>
      serial(async () => {
        checkProvider(provider);
        checkKey(key);
        if (!(await options.cipher.isAvailable())) throw new KeychainUnavailableError();
        const ciphertext = (await options.cipher.encrypt(key)).toString('base64');
        const data = await readKeyFile(options.file);
        const hint = keyHint(key);
        data.keys[provider] = { ciphertext, hint, storedAt: now().toISOString() };
        await save(data);
        return { hint };
      }),
    remove: (provider) =>
      serial(async () => {
        checkProvider(provider);
        const data = await readKeyFile(options.file);
        if (!Object.hasOwn(data.keys, provider)) return;
        delete data.keys[provider];
        await save(data);
      }),
    list: () =>
      serial(async () => {
        const data = await readKeyFile(options.file);
        return Object.entries(data.keys).map(([provider, stored]) => ({ provider, hint: stored.hint }));
      }),
    reveal: (provider) =>
      serial(async () => {
        checkProvider(provider);
        const stored = (await readKeyFile(options.file)).keys[provider];
        if (!stored) return null;
        return options.cipher.decrypt(Buffer.from(stored.ciphertext, 'base64'));
      }),
  };
}

function checkProvider(provider: unknown): asserts provider is string {
  if (typeof provider !== 'string' || !PROVIDER.test(provider)) {
    throw new Error('A provider name is 1 to 64 letters, digits, dots, dashes or underscores');
  }
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || /\s/.test(key)) {
    throw new Error(`A key is 1 to ${MAX_KEY_LENGTH} characters without spaces or line breaks`);
  }
}

/** The key file, or an empty one when there is none yet. A damaged file is an error, not a reset. */
export async function readKeyFile(file: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, keys: dictionary({}) };
    throw err;
  }
  const parsed = parseJson(text);
  if (!isKeyFile(parsed)) throw new Error(`${file} is not a key file Apex can read; it was left as it is`);
  return { version: 1, keys: dictionary(parsed.keys) };
}

/** Keys by provider without a prototype, so a provider named "constructor" is just a name. */
function dictionary(keys: Record<string, StoredKey>): Record<string, StoredKey> {
  return Object.assign(Object.create(null) as Record<string, StoredKey>, keys);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isKeyFile(value: unknown): value is KeyFile {
  if (typeof value !== 'object' || value === null) return false;
  const { version, keys } = value as { version?: unknown; keys?: unknown };
  if (version !== 1 || typeof keys !== 'object' || keys === null) return false;
  return Object.values(keys).every(
    (k: unknown) =>
      typeof k === 'object' &&
      k !== null &&
      typeof (k as StoredKey).ciphertext === 'string' &&
      typeof (k as StoredKey).hint === 'string',
  );
}

/**
 * Whether the OS encryption is real. On Linux without a keyring Electron falls back to `basic_text`,
 * a hard-coded password: that is plain text with extra steps, so it counts as unavailable.
 */
export function osEncryptionUsable(
  platform: string,
  linuxBackend: string | null,
  available: boolean,
): boolean {
  if (!available) return false;
  return platform !== 'linux' || (linuxBackend !== null && !['basic_text', 'unknown'].includes(linuxBackend));
}
