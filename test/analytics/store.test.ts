import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreVersionError, openStore, schemaVersion } from '../../analytics/store/db.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../../analytics/store/migrations.ts';
import {
  countUsageEvents,
  getUsageEvent,
  prepareUsageInsert,
  summarizeUsage,
} from '../../analytics/store/usage-events.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import { makeEvent, makeEvents } from './fixtures/events.ts';
import { freshDir } from './helpers.ts';

describe('openStore and migrations', () => {
  it('creates a fresh database at the latest version with the configured pragmas', () => {
    const db = openStore(join(freshDir(), 'nested', 'analytics.db'), { busyTimeoutMs: 1234 });
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    const indexes = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_events'",
      )
      .all()
      .map((row) => row.name);
    expect(indexes).toEqual(expect.arrayContaining(['usage_events_by_ts']));
    db.close();
  });

  it('reopens idempotently, keeping data and version', () => {
    const file = join(freshDir(), 'analytics.db');
    const first = openStore(file);
    prepareUsageInsert(first).insertOne(makeEvent(1));
    first.close();
    const again = openStore(file);
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION);
    expect(countUsageEvents(again)).toBe(1);
    again.close();
  });

  it('refuses a database written by a newer build, with a clear error', () => {
    const file = join(freshDir(), 'analytics.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    expect(() => openStore(file)).toThrow(StoreVersionError);
    expect(() => openStore(file)).toThrow(/newer|only knows versions up to/);
  });

  it('applies each migration in its own transaction and stops at a failing one', () => {
    const file = join(freshDir(), 'analytics.db');
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openStore(file, { migrations: [...MIGRATIONS, broken] })).toThrow('boom');
    const db = openStore(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('rejects a migration list that is not numbered 1..n', () => {
    const skipped: Migration[] = [{ version: 2, name: 'skips-one', up: () => undefined }];
    expect(() => openStore(':memory:', { migrations: skipped })).toThrow(/expected 1/);
  });
});

describe('usage_events rows', () => {
  const eventArbitrary = fc.record({
    id: fc.string({ minLength: 1 }),
    ts: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    keyId: fc.option(fc.string()),
    project: fc.option(fc.string()),
    api: fc.constantFrom('openai' as const, 'anthropic' as const),
    endpoint: fc.constantFrom('chat' as const, 'messages' as const, 'embeddings' as const),
    provider: fc.string(),
    modelRequested: fc.string(),
    modelServed: fc.option(fc.string()),
    streamed: fc.boolean(),
    inputTokens: fc.nat(),
    outputTokens: fc.nat(),
    cachedInputTokens: fc.nat(),
    cacheWriteTokens: fc.nat(),
    cacheWrite1hTokens: fc.nat(),
    reasoningTokens: fc.nat(),
    costNanos: fc.maxSafeNat(),
    priceSource: fc.option(fc.string()),
    latencyUs: fc.nat(),
    ttftUs: fc.option(fc.nat()),
    status: fc.integer({ min: 100, max: 599 }),
    errorClass: fc.option(fc.string()),
    baselineCostNanos: fc.maxSafeNat(),
    savings: fc.record(
      { exact_cache: fc.integer({ min: 1, max: 1e12 }), compression: fc.integer({ min: 1, max: 1e12 }) },
      { requiredKeys: [] },
    ),
    arm: fc.option(fc.constantFrom('treatment' as const, 'control' as const, 'exp:tier:b' as const)),
    unitId: fc.option(fc.string()),
    route: fc.option(fc.string()),
    optimizations: fc.option(fc.string()),
  });

  it('round-trips every field exactly', () => {
    const db = openStore(':memory:');
    const inserter = prepareUsageInsert(db);
    fc.assert(
      fc.property(eventArbitrary, (event: UsageEvent) => {
        db.exec('DELETE FROM usage_events');
        inserter.insertOne(event);
        expect(getUsageEvent(db, event.id)).toEqual(event);
      }),
    );
    db.close();
  });

  it('stores a re-sent event once (ON CONFLICT (id) DO NOTHING)', () => {
    const db = openStore(':memory:');
    const inserter = prepareUsageInsert(db);
    expect(inserter.insertOne(makeEvent(7))).toBe(true);
    expect(inserter.insertOne(makeEvent(7))).toBe(false);
    expect(inserter.insertBatch(makeEvents(10)).inserted).toBe(9);
    expect(countUsageEvents(db)).toBe(10);
    db.close();
  });

  it('rounds fractional numbers and sets aside events the schema refuses, storing the rest', () => {
    const db = openStore(':memory:');
    const good = makeEvent(1, 'ok', { latencyUs: 1234.6, costNanos: 10.4 });
    const missingProvider = { ...makeEvent(2, 'bad'), provider: undefined } as unknown as UsageEvent;
    const notANumber = makeEvent(3, 'bad', { inputTokens: Number.NaN });
    const result = prepareUsageInsert(db).insertBatch([good, missingProvider, notANumber]);
    expect(result.inserted).toBe(1);
    expect(result.rejected.map((entry) => (entry.event as UsageEvent).id)).toEqual(['bad-2', 'bad-3']);
    expect(getUsageEvent(db, 'ok-1')).toMatchObject({ latencyUs: 1235, costNanos: 10 });
    db.close();
  });
});

describe('summarizeUsage', () => {
  it('totals by provider and model with integer sums, errors and p50, within the range', () => {
    const db = openStore(':memory:');
    const events = makeEvents(300);
    prepareUsageInsert(db).insertBatch(events);
    const summary = summarizeUsage(db);
    expect(summary).toHaveLength(3);
    for (const row of summary) {
      const mine = events.filter((e) => e.provider === row.provider && e.modelRequested === row.model);
      expect(row.requests).toBe(mine.length);
      expect(row.errors).toBe(mine.filter((e) => e.errorClass !== null || e.status >= 400).length);
      expect(row.costNanos).toBe(mine.reduce((sum, e) => sum + e.costNanos, 0));
      expect(row.inputTokens).toBe(mine.reduce((sum, e) => sum + e.inputTokens, 0));
      expect(row.cacheWrite1hTokens).toBe(mine.reduce((sum, e) => sum + e.cacheWrite1hTokens, 0));
      expect(Number.isInteger(row.costNanos) && Number.isInteger(row.p50LatencyUs)).toBe(true);
    }
    expect(summary.map((row) => row.costNanos)).toEqual(
      [...summary.map((row) => row.costNanos)].sort((a, b) => b - a),
    );
    const firstTen = summarizeUsage(db, { sinceMs: events[0]!.ts, untilMs: events[10]!.ts });
    expect(firstTen.reduce((sum, row) => sum + row.requests, 0)).toBe(10);
    expect(summarizeUsage(db, { sinceMs: events[299]!.ts + 1 })).toEqual([]);
    db.close();
  });
});
