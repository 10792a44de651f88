import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.ts';

export interface OpenStoreOptions {
  /** How long SQLite itself waits for another connection's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Read-only connections (dashboards) never migrate; they only check the version. */
  readonly?: boolean;
  /** Override for tests; production always uses MIGRATIONS. */
  migrations?: readonly Migration[];
}

/** Thrown when the file was written by a newer build than this one. */
export class StoreVersionError extends Error {
  readonly fileVersion: number;
  readonly codeVersion: number;

  constructor(file: string, fileVersion: number, codeVersion: number) {
    super(
      `analytics database ${file} has schema version ${fileVersion}, but this build only ` +
        `knows versions up to ${codeVersion}; upgrade Netra Apex or point it at another data directory`,
    );
    this.name = 'StoreVersionError';
    this.fileVersion = fileVersion;
    this.codeVersion = codeVersion;
  }
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating if needed) the analytics database and brings its schema up to date. */
export function openStore(file: string, opts: OpenStoreOptions = {}): Database.Database {
  if (file !== ':memory:' && !opts.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false });
  try {
    configureConnection(db, opts);
    migrate(db, file, opts.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function configureConnection(db: Database.Database, opts: OpenStoreOptions): void {
  // busy_timeout first: switching to WAL itself needs a lock another process may hold.
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode stays consistent after a crash; only the last commits
    // before a power loss can be lost, which is the trade we accept for speed.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Database.Database, file: string, migrations: readonly Migration[]): void {
  assertOrdered(migrations);
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) throw new StoreVersionError(file, current, latest);
  if (current === latest || db.readonly) return;
  for (const migration of migrations.slice(current)) applyMigration(db, migration);
}

function applyMigration(db: Database.Database, migration: Migration): void {
  // IMMEDIATE + re-check: two processes opening a fresh file at once must not
  // both apply the same step.
  const apply = db.transaction(() => {
    if (schemaVersion(db) >= migration.version) return;
    migration.up(db);
    db.pragma(`user_version = ${migration.version}`);
  });
  apply.immediate();
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migration "${migration.name}" has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}
