import { describe, expect, it } from 'vitest';
import { openStore } from '../../../analytics/store/db.ts';
import { prepareUsageInsert } from '../../../analytics/store/usage-events.ts';
import {
  nextUtcMidnight,
  nextUtcMonthStart,
  SpendLedger,
  spendSince,
  utcDay,
  utcMonth,
} from '../../../proxy/keys/spend-ledger.ts';
import { usageEvent } from './fixtures.ts';

const JAN_15_NOON = Date.UTC(2025, 0, 15, 12);
const JAN_15_LAST_MS = Date.UTC(2025, 0, 16) - 1;
const JAN_16_MIDNIGHT = Date.UTC(2025, 0, 16);
const JAN_31_LAST_MS = Date.UTC(2025, 1, 1) - 1;
const FEB_1_MIDNIGHT = Date.UTC(2025, 1, 1);

describe('UTC periods', () => {
  it('number days and months and find the next reset', () => {
    expect(utcDay(JAN_16_MIDNIGHT) - utcDay(JAN_15_LAST_MS)).toBe(1);
    expect(utcMonth(FEB_1_MIDNIGHT) - utcMonth(JAN_31_LAST_MS)).toBe(1);
    expect(nextUtcMidnight(JAN_15_NOON)).toBe(JAN_16_MIDNIGHT);
    expect(nextUtcMidnight(JAN_16_MIDNIGHT)).toBe(Date.UTC(2025, 0, 17));
    expect(nextUtcMonthStart(JAN_15_NOON)).toBe(FEB_1_MIDNIGHT);
    expect(nextUtcMonthStart(Date.UTC(2025, 11, 31, 23))).toBe(Date.UTC(2026, 0, 1));
  });
});

describe('SpendLedger', () => {
  it('adds integer costs per key', () => {
    const ledger = new SpendLedger();
    ledger.record('vk_a', 300, JAN_15_NOON);
    ledger.record('vk_a', 200, JAN_15_NOON + 1);
    ledger.record('vk_b', 7, JAN_15_NOON);
    expect(ledger.spent('vk_a', JAN_15_NOON + 2)).toEqual({ dayNanos: 500, monthNanos: 500 });
    expect(ledger.spent('vk_b', JAN_15_NOON)).toEqual({ dayNanos: 7, monthNanos: 7 });
    expect(ledger.spent('vk_none', JAN_15_NOON)).toEqual({ dayNanos: 0, monthNanos: 0 });
  });

  it('ignores costs that are zero, negative or not numbers, and rounds stray fractions', () => {
    const ledger = new SpendLedger();
    for (const cost of [0, -5, Number.NaN, Number.POSITIVE_INFINITY])
      ledger.record('vk_a', cost, JAN_15_NOON);
    ledger.record('vk_a', 2.6, JAN_15_NOON);
    expect(ledger.spent('vk_a', JAN_15_NOON)).toEqual({ dayNanos: 3, monthNanos: 3 });
  });

  it('starts a new day at UTC midnight and keeps the month', () => {
    const ledger = new SpendLedger();
    ledger.record('vk_a', 100, JAN_15_LAST_MS);
    expect(ledger.spent('vk_a', JAN_15_LAST_MS)).toEqual({ dayNanos: 100, monthNanos: 100 });
    expect(ledger.spent('vk_a', JAN_16_MIDNIGHT)).toEqual({ dayNanos: 0, monthNanos: 100 });
    ledger.record('vk_a', 40, JAN_16_MIDNIGHT);
    expect(ledger.spent('vk_a', JAN_16_MIDNIGHT)).toEqual({ dayNanos: 40, monthNanos: 140 });
  });

  it('starts a new month on the first at UTC midnight', () => {
    const ledger = new SpendLedger();
    ledger.record('vk_a', 100, JAN_31_LAST_MS);
    expect(ledger.spent('vk_a', FEB_1_MIDNIGHT)).toEqual({ dayNanos: 0, monthNanos: 0 });
    ledger.record('vk_a', 9, FEB_1_MIDNIGHT + 5);
    expect(ledger.spent('vk_a', FEB_1_MIDNIGHT + 6)).toEqual({ dayNanos: 9, monthNanos: 9 });
  });

  it('counts a request that began before midnight towards its own month only', () => {
    const ledger = new SpendLedger();
    ledger.record('vk_a', 10, JAN_16_MIDNIGHT + 1);
    ledger.record('vk_a', 5, JAN_15_LAST_MS);
    expect(ledger.spent('vk_a', JAN_16_MIDNIGHT + 2)).toEqual({ dayNanos: 10, monthNanos: 15 });
    ledger.record('vk_b', 10, FEB_1_MIDNIGHT);
    ledger.record('vk_b', 5, JAN_31_LAST_MS);
    expect(ledger.spent('vk_b', FEB_1_MIDNIGHT)).toEqual({ dayNanos: 10, monthNanos: 10 });
  });
});

describe('seeding from usage_events', () => {
  function storeWithEvents() {
    const db = openStore(':memory:');
    const insert = prepareUsageInsert(db);
    const result = insert.insertBatch([
      usageEvent({ keyId: 'vk_a', ts: Date.UTC(2024, 11, 31, 23), costNanos: 1_000 }),
      usageEvent({ keyId: 'vk_a', ts: Date.UTC(2025, 0, 1), costNanos: 200 }),
      usageEvent({ keyId: 'vk_a', ts: Date.UTC(2025, 0, 14, 23, 59), costNanos: 30 }),
      usageEvent({ keyId: 'vk_a', ts: Date.UTC(2025, 0, 15), costNanos: 4 }),
      usageEvent({ keyId: 'vk_a', ts: JAN_15_NOON, costNanos: 5 }),
      usageEvent({ keyId: 'vk_b', ts: Date.UTC(2025, 0, 2), costNanos: 60 }),
      usageEvent({ keyId: null, ts: JAN_15_NOON, costNanos: 999 }),
    ]);
    expect(result.rejected).toEqual([]);
    return db;
  }

  it('sums this UTC day and month per key in one query', () => {
    const db = storeWithEvents();
    const seed = spendSince(db, JAN_15_NOON + 1);
    expect(seed.at).toBe(JAN_15_NOON + 1);
    const rows = [...seed.rows].sort((a, b) => a.keyId.localeCompare(b.keyId));
    expect(rows).toEqual([
      { keyId: 'vk_a', dayNanos: 9, monthNanos: 239 },
      { keyId: 'vk_b', dayNanos: 0, monthNanos: 60 },
    ]);
    db.close();
  });

  it('seeds the ledger, which then adds new costs and rolls over', () => {
    const db = storeWithEvents();
    const ledger = new SpendLedger();
    ledger.record('vk_stale', 1, JAN_15_NOON);
    ledger.seed(spendSince(db, JAN_15_NOON + 1));
    expect(ledger.spent('vk_stale', JAN_15_NOON + 1)).toEqual({ dayNanos: 0, monthNanos: 0 });
    expect(ledger.spent('vk_a', JAN_15_NOON + 1)).toEqual({ dayNanos: 9, monthNanos: 239 });
    ledger.record('vk_a', 1, JAN_15_NOON + 2);
    expect(ledger.spent('vk_a', JAN_15_NOON + 3)).toEqual({ dayNanos: 10, monthNanos: 240 });
    expect(ledger.spent('vk_a', JAN_16_MIDNIGHT)).toEqual({ dayNanos: 0, monthNanos: 240 });
    expect(ledger.spent('vk_b', FEB_1_MIDNIGHT)).toEqual({ dayNanos: 0, monthNanos: 0 });
    db.close();
  });

  it('returns no rows for an empty store', () => {
    const db = openStore(':memory:');
    expect(spendSince(db, JAN_15_NOON).rows).toEqual([]);
    db.close();
  });
});
