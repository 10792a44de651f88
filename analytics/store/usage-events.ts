import type Database from 'better-sqlite3';
import type { UsageEvent } from '../../contracts/usage.ts';
import { COLUMNS, eventToRow, rowToEvent, type UsageEventRow } from './usage-event-row.ts';

export { eventToRow, rowToEvent, type UsageEventRow } from './usage-event-row.ts';

/** An event SQLite refused (bad type, missing field); kept aside, never silently lost. */
export interface RejectedEvent {
  event: unknown;
  error: string;
}

export interface BatchInsertResult {
  /** Rows newly stored; re-sent ids are ignored and not counted. */
  inserted: number;
  rejected: RejectedEvent[];
}

export interface UsageInserter {
  /** Stores one event; false when its id was already stored. */
  insertOne(event: UsageEvent): boolean;
  /** Stores a batch in ONE immediate transaction; bad events are returned, not thrown. */
  insertBatch(events: readonly unknown[]): BatchInsertResult;
}

// Deliberately not INSERT OR IGNORE: OR IGNORE also silently skips rows that
// break NOT NULL / CHECK / STRICT typing, which would lose billable events.
// ON CONFLICT(id) DO NOTHING ignores only a re-sent id; bad rows still raise.
const INSERT_SQL =
  `INSERT INTO usage_events (${COLUMNS.join(', ')}) ` +
  `VALUES (${COLUMNS.map((column) => `@${column}`).join(', ')}) ON CONFLICT (id) DO NOTHING`;

export function prepareUsageInsert(db: Database.Database): UsageInserter {
  const insert = db.prepare<[UsageEventRow]>(INSERT_SQL);
  const insertOne = (event: UsageEvent): boolean => insert.run(eventToRow(event)).changes > 0;
  const insertAll = db.transaction((events: readonly unknown[]): BatchInsertResult => {
    const result: BatchInsertResult = { inserted: 0, rejected: [] };
    for (const event of events) {
      try {
        result.inserted += insert.run(eventToRow(event as UsageEvent)).changes;
      } catch (err) {
        if (!isBadEventError(err)) throw err;
        result.rejected.push({ event, error: errorMessage(err) });
      }
    }
    return result;
  });
  return { insertOne, insertBatch: (events) => insertAll.immediate(events) };
}

/**
 * Errors that belong to one event (its data), as opposed to the database
 * (busy, disk full, I/O), which must fail the whole batch so it is retried.
 */
function isBadEventError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/.test(code);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function getUsageEvent(db: Database.Database, id: string): UsageEvent | undefined {
  const row = db.prepare<[string], UsageEventRow>('SELECT * FROM usage_events WHERE id = ?').get(id);
  return row ? rowToEvent(row) : undefined;
}

export function countUsageEvents(db: Database.Database): number {
  return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM usage_events').get()?.n ?? 0;
}

export { summarizeUsage } from './usage-summary.ts';
export type { UsageSummaryRange, UsageSummaryRow } from './usage-summary.ts';

/** Every usage event from `sinceMs` on, oldest first, streamed (a year of requests never sits in memory). */
export function* iterateUsageEvents(db: Database.Database, sinceMs = 0): Generator<UsageEvent> {
  const rows = db
    .prepare<[number], UsageEventRow>('SELECT * FROM usage_events WHERE ts >= ? ORDER BY ts, id')
    .iterate(sinceMs);
  for (const row of rows) yield rowToEvent(row);
}
