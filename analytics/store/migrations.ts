import type Database from 'better-sqlite3';
import { CREATE_COST_TABLES } from './cost-schema.ts';
import { CREATE_USAGE_DAILY } from './usage-daily-schema.ts';
import { ADD_SAVINGS_COLUMNS } from './savings-schema.ts';

/**
 * Forward-only schema history. Append new entries; never edit or reorder a
 * shipped one, because `PRAGMA user_version` on users' disks records how far
 * each database got through this exact list.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (db: Database.Database) => void;
}

// STRICT makes SQLite refuse a fractional value in an INTEGER column instead
// of storing a REAL, so SUM() over tokens and money can never turn into a float.
const CREATE_USAGE_EVENTS = `
CREATE TABLE usage_events (
  id                    TEXT    PRIMARY KEY,
  ts                    INTEGER NOT NULL,
  key_id                TEXT,
  project               TEXT,
  api                   TEXT    NOT NULL,
  endpoint              TEXT    NOT NULL,
  provider              TEXT    NOT NULL,
  model_requested       TEXT    NOT NULL,
  model_served          TEXT,
  streamed              INTEGER NOT NULL CHECK (streamed IN (0, 1)),
  input_tokens          INTEGER NOT NULL,
  output_tokens         INTEGER NOT NULL,
  cached_input_tokens   INTEGER NOT NULL,
  cache_write_tokens    INTEGER NOT NULL,
  cache_write_1h_tokens INTEGER NOT NULL,
  reasoning_tokens      INTEGER NOT NULL,
  cost_nanos            INTEGER NOT NULL,
  price_source          TEXT,
  latency_us            INTEGER NOT NULL,
  ttft_us               INTEGER,
  status                INTEGER NOT NULL,
  error_class           TEXT
) STRICT;

-- One secondary index: every insert pays for each index, and this table takes
-- every proxied request. Dashboards read rollup tables rather than scanning it.
CREATE INDEX usage_events_by_ts ON usage_events (ts);
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'usage_events', up: (db) => db.exec(CREATE_USAGE_EVENTS) },
  { version: 2, name: 'imported_costs', up: (db) => db.exec(CREATE_COST_TABLES) },
  { version: 3, name: 'usage_daily', up: (db) => db.exec(CREATE_USAGE_DAILY) },
  { version: 4, name: 'savings', up: (db) => db.exec(ADD_SAVINGS_COLUMNS) },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
