import type Database from 'better-sqlite3';
import type { ApiFlavor, Endpoint, UsageEvent } from '../../contracts/usage.ts';

/** One `usage_events` row exactly as SQLite stores it. */
export interface UsageEventRow {
  id: string;
  ts: number;
  key_id: string | null;
  project: string | null;
  api: string;
  endpoint: string;
  provider: string;
  model_requested: string;
  model_served: string | null;
  streamed: 0 | 1;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number;
  price_source: string | null;
  latency_us: number;
  ttft_us: number | null;
  status: number;
  error_class: string | null;
}

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

const COLUMNS: readonly (keyof UsageEventRow)[] = [
  'id',
  'ts',
  'key_id',
  'project',
  'api',
  'endpoint',
  'provider',
  'model_requested',
  'model_served',
  'streamed',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'cost_nanos',
  'price_source',
  'latency_us',
  'ttft_us',
  'status',
  'error_class',
];

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

export function eventToRow(event: UsageEvent): UsageEventRow {
  return {
    id: event.id,
    ts: wholeNumber(event.ts),
    key_id: event.keyId ?? null,
    project: event.project ?? null,
    api: event.api,
    endpoint: event.endpoint,
    provider: event.provider,
    model_requested: event.modelRequested,
    model_served: event.modelServed ?? null,
    streamed: booleanToBit(event.streamed),
    input_tokens: wholeNumber(event.inputTokens),
    output_tokens: wholeNumber(event.outputTokens),
    cached_input_tokens: wholeNumber(event.cachedInputTokens),
    cache_write_tokens: wholeNumber(event.cacheWriteTokens),
    cache_write_1h_tokens: wholeNumber(event.cacheWrite1hTokens),
    reasoning_tokens: wholeNumber(event.reasoningTokens),
    cost_nanos: wholeNumber(event.costNanos),
    price_source: event.priceSource ?? null,
    latency_us: wholeNumber(event.latencyUs),
    ttft_us: event.ttftUs == null ? null : wholeNumber(event.ttftUs),
    status: wholeNumber(event.status),
    error_class: event.errorClass ?? null,
  };
}

/**
 * Latencies are often computed from performance.now() and arrive fractional;
 * rounding a sub-microsecond (or sub-nanodollar) remainder is harmless. Anything
 * that is not a finite number goes through unchanged (undefined as null) so
 * the STRICT table rejects it and the event is set aside instead of stored wrong.
 */
function wholeNumber(value: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
  return (value ?? null) as number;
}

function booleanToBit(value: boolean): 0 | 1 {
  if (value === true) return 1;
  if (value === false) return 0;
  return null as unknown as 0; // missing flag: let NOT NULL reject the event
}

export function rowToEvent(row: UsageEventRow): UsageEvent {
  return {
    id: row.id,
    ts: row.ts,
    keyId: row.key_id,
    project: row.project,
    api: row.api as ApiFlavor,
    endpoint: row.endpoint as Endpoint,
    provider: row.provider,
    modelRequested: row.model_requested,
    modelServed: row.model_served,
    streamed: row.streamed === 1,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    cacheWrite1hTokens: row.cache_write_1h_tokens,
    reasoningTokens: row.reasoning_tokens,
    costNanos: row.cost_nanos,
    priceSource: row.price_source,
    latencyUs: row.latency_us,
    ttftUs: row.ttft_us,
    status: row.status,
    errorClass: row.error_class,
  };
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
