import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  generateKeyId,
  generateSecret,
  hashSecret,
  looksLikeSecret,
  secretHint,
  virtualKeyCreateSchema,
  virtualKeyPatchSchema,
  type VirtualKey,
} from './key-schema.ts';

export * from './key-schema.ts';

// STRICT keeps budgets and limits integers; UNIQUE on secret_hash is the index findBySecret relies on.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS virtual_keys (
  id                   TEXT    PRIMARY KEY,
  name                 TEXT    NOT NULL,
  project              TEXT,
  secret_hash          TEXT    NOT NULL UNIQUE,
  hint                 TEXT    NOT NULL,
  created_at           INTEGER NOT NULL,
  revoked_at           INTEGER,
  budget_daily_nanos   INTEGER,
  budget_monthly_nanos INTEGER,
  rpm                  INTEGER,
  tpm                  INTEGER,
  models               TEXT    NOT NULL
) STRICT;
`;

interface Row {
  id: string;
  name: string;
  project: string | null;
  secret_hash: string;
  hint: string;
  created_at: number;
  revoked_at: number | null;
  budget_daily_nanos: number | null;
  budget_monthly_nanos: number | null;
  rpm: number | null;
  tpm: number | null;
  models: string;
}

interface Snapshot {
  byId: Map<string, VirtualKey>;
  byHash: Map<string, VirtualKey>;
}

export interface VirtualKeyStoreOptions {
  /** Milliseconds since the epoch; injected by tests. */
  clock?: () => number;
}

/**
 * Virtual keys in their own SQLite file in the proxy's state directory. Every read is served from
 * an in-memory snapshot of the whole table (keys number in the dozens), dropped on each write, so
 * authenticating a request never touches the disk, not even for an unknown secret.
 */
export class VirtualKeyStore {
  private readonly db: Database.Database;
  private readonly clock: () => number;
  private snapshot: Snapshot | null = null;

  constructor(file: string, options: VirtualKeyStoreOptions = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.clock = options.clock ?? Date.now;
  }

  /** Creates a key; the only time its secret is ever returned. Throws a ZodError on bad input. */
  create(input: unknown): { key: VirtualKey; secret: string } {
    const fields = virtualKeyCreateSchema.parse(input);
    const secret = generateSecret();
    const row: Row = {
      id: generateKeyId(),
      name: fields.name,
      project: fields.project,
      secret_hash: hashSecret(secret),
      hint: secretHint(secret),
      created_at: this.clock(),
      revoked_at: null,
      budget_daily_nanos: fields.budgetDailyNanos,
      budget_monthly_nanos: fields.budgetMonthlyNanos,
      rpm: fields.rpm,
      tpm: fields.tpm,
      models: JSON.stringify(fields.models),
    };
    this.db
      .prepare(
        `INSERT INTO virtual_keys VALUES (@id, @name, @project, @secret_hash, @hint, @created_at,
         @revoked_at, @budget_daily_nanos, @budget_monthly_nanos, @rpm, @tpm, @models)`,
      )
      .run(row);
    this.invalidate();
    return { key: toKey(row), secret };
  }

  /** Every key, revoked ones included, oldest first. */
  list(): VirtualKey[] {
    return [...this.load().byId.values()];
  }

  get(id: string): VirtualKey | null {
    return this.load().byId.get(id) ?? null;
  }

  /** Applies a validated patch; null when no such key. Throws a ZodError on bad input. */
  update(id: string, patch: unknown): VirtualKey | null {
    const fields = virtualKeyPatchSchema.parse(patch);
    const columns = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => [COLUMN[field as keyof typeof COLUMN], encode(value)] as const);
    if (columns.length > 0) {
      const sets = columns.map(([column]) => `${column} = ?`).join(', ');
      const values = columns.map(([, value]) => value);
      this.db.prepare(`UPDATE virtual_keys SET ${sets} WHERE id = ?`).run(...values, id);
      this.invalidate();
    }
    return this.get(id);
  }

  /** Revokes a key; revoking twice keeps the first time. Null when no such key. */
  revoke(id: string): VirtualKey | null {
    const result = this.db
      .prepare(`UPDATE virtual_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`)
      .run(this.clock(), id);
    if (result.changes > 0) this.invalidate();
    return this.get(id);
  }

  /** The key a secret belongs to (revoked or not), or null. Only the secret's hash is compared. */
  findBySecret(secret: string): VirtualKey | null {
    if (!looksLikeSecret(secret)) return null;
    return this.load().byHash.get(hashSecret(secret)) ?? null;
  }

  /** Drops the in-memory snapshot; call it when another process may have written the file. */
  invalidate(): void {
    this.snapshot = null;
  }

  close(): void {
    this.db.close();
  }

  private load(): Snapshot {
    if (this.snapshot) return this.snapshot;
    const rows = this.db.prepare(`SELECT * FROM virtual_keys ORDER BY created_at, id`).all() as Row[];
    const snapshot: Snapshot = { byId: new Map(), byHash: new Map() };
    for (const row of rows) {
      const key = toKey(row);
      snapshot.byId.set(key.id, key);
      snapshot.byHash.set(key.secretHash, key);
    }
    this.snapshot = snapshot;
    return snapshot;
  }
}

const COLUMN = {
  name: 'name',
  project: 'project',
  budgetDailyNanos: 'budget_daily_nanos',
  budgetMonthlyNanos: 'budget_monthly_nanos',
  rpm: 'rpm',
  tpm: 'tpm',
  models: 'models',
} as const;

function encode(value: unknown): unknown {
  return Array.isArray(value) ? JSON.stringify(value) : value;
}

/** Frozen, because the snapshot hands the same objects to every caller. */
function toKey(row: Row): VirtualKey {
  return Object.freeze({
    id: row.id,
    name: row.name,
    project: row.project,
    secretHash: row.secret_hash,
    hint: row.hint,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    budgetDailyNanos: row.budget_daily_nanos,
    budgetMonthlyNanos: row.budget_monthly_nanos,
    rpm: row.rpm,
    tpm: row.tpm,
    models: Object.freeze(JSON.parse(row.models) as string[]),
  });
}
