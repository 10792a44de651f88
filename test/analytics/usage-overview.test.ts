import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../analytics/store/db.ts';
import { MIGRATIONS } from '../../analytics/store/migrations.ts';
import { eventToRow, prepareUsageInsert } from '../../analytics/store/usage-events.ts';
import { recentRequests, usageOverview } from '../../analytics/store/usage-overview.ts';
import { makeEvent } from './fixtures/events.ts';
import { freshDir } from './helpers.ts';

const DAY = 86_400_000;
const events = Array.from({ length: 300 }, (_, i) =>
  makeEvent(i, 'ov', { ts: Date.UTC(2026, 10, 1) + (i % 3) * DAY + i }),
);

function expected() {
  const cost = events.reduce((s, e) => s + e.costNanos, 0);
  const errors = events.filter((e) => e.errorClass !== null || e.status >= 400).length;
  return { requests: events.length, costNanos: cost, errors };
}

/** Rows as a version-1 store held them, before the rollup and the savings columns existed. */
function insertVersion1Rows(db: Database.Database): void {
  const columns = (db.prepare('PRAGMA table_info(usage_events)').all() as Array<{ name: string }>).map(
    (column) => column.name,
  );
  const insert = db.prepare(
    `INSERT INTO usage_events (${columns.join(',')}) VALUES (${columns.map((c) => `@${c}`).join(',')})`,
  );
  for (const event of events) {
    const row = eventToRow(event) as unknown as Record<string, unknown>;
    insert.run(Object.fromEntries(columns.map((column) => [column, row[column]])));
  }
}

describe('usage overview from the daily rollup', () => {
  it('matches sums over the raw events, per day and by provider', () => {
    const db = openStore(':memory:');
    prepareUsageInsert(db).insertBatch(events);
    const overview = usageOverview(db, Date.UTC(2026, 10, 1));
    expect(overview.totals).toEqual(expected());
    expect(overview.days.map((d) => d.day)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(overview.days.reduce((s, d) => s + d.requests, 0)).toBe(300);
    const openai = events.filter((e) => e.provider === 'openai');
    expect(overview.byProvider.find((p) => p.key === 'openai')).toEqual({
      key: 'openai',
      requests: openai.length,
      costNanos: openai.reduce((s, e) => s + e.costNanos, 0),
    });
    expect(usageOverview(db, Date.UTC(2026, 10, 3)).totals.requests).toBe(100);
  });

  it('rolls up events stored before the rollup existed when the store migrates', () => {
    const file = join(freshDir(), 'apex.db');
    const old = openStore(file, { migrations: MIGRATIONS.slice(0, 2) });
    insertVersion1Rows(old);
    old.close();
    const db = openStore(file);
    expect(usageOverview(db, 0).totals).toEqual(expected());
    db.close();
  });

  it('pages recent requests newest first', () => {
    const db = openStore(':memory:');
    prepareUsageInsert(db).insertBatch(events);
    const page = recentRequests(db, 10);
    expect(page).toHaveLength(10);
    expect(page[0]?.ts).toBe(Math.max(...events.map((e) => e.ts)));
    const next = recentRequests(db, 10, page.at(-1)?.ts);
    expect(next[0]?.ts).toBeLessThan(page.at(-1)?.ts ?? 0);
  });
});
