import type Database from 'better-sqlite3';

const DAY_MS = 86_400_000;

/** Spend of one key in the current UTC day and month, integer nano-dollars. */
export interface Spend {
  dayNanos: number;
  monthNanos: number;
}

export interface SpendRow extends Spend {
  keyId: string;
}

/** What the analytics store says was spent; `at` fixes which day and month the sums belong to. */
export interface SpendSeed {
  at: number;
  rows: SpendRow[];
}

interface Period {
  day: number;
  month: number;
  dayNanos: number;
  monthNanos: number;
}

/** Days since the epoch (UTC), so a period compares as one integer. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** Months since January 1970 (UTC). */
export function utcMonth(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** Start of the next UTC day: when a daily budget resets. */
export function nextUtcMidnight(ms: number): number {
  return (utcDay(ms) + 1) * DAY_MS;
}

/** Start of the next UTC month: when a monthly budget resets. */
export function nextUtcMonthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

function monthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/**
 * Spend per key so far this UTC day and month, from the analytics store's `usage_events`, in one
 * GROUP BY over the month (the ts index bounds the scan). Run once at startup to seed the ledger.
 */
export function spendSince(db: Database.Database, now: number): SpendSeed {
  const dayStart = utcDay(now) * DAY_MS;
  const rows = db
    .prepare<[number, number], SpendRow>(
      `SELECT key_id AS keyId,
              COALESCE(SUM(CASE WHEN ts >= ? THEN cost_nanos ELSE 0 END), 0) AS dayNanos,
              COALESCE(SUM(cost_nanos), 0) AS monthNanos
       FROM usage_events
       WHERE ts >= ? AND key_id IS NOT NULL
       GROUP BY key_id`,
    )
    .all(dayStart, monthStart(now));
  return { at: now, rows };
}

/**
 * In-memory spend per key, so a budget check costs no query. Periods roll over lazily: a key's
 * sums are reset when a cost (or a read) arrives in a later UTC day or month than they belong to.
 */
export class SpendLedger {
  private readonly periods = new Map<string, Period>();

  /** Replaces what is known with the store's sums (call before traffic flows). */
  seed(seed: SpendSeed): void {
    this.periods.clear();
    const day = utcDay(seed.at);
    const month = utcMonth(seed.at);
    for (const row of seed.rows) {
      this.periods.set(row.keyId, { day, month, dayNanos: row.dayNanos, monthNanos: row.monthNanos });
    }
  }

  /**
   * Adds a request's actual cost at its start time `ts`. A cost from an earlier day than the one
   * tracked (a long request that began before midnight) still counts towards its month.
   */
  record(keyId: string, costNanos: number, ts: number): void {
    const nanos = Math.round(costNanos);
    if (!Number.isSafeInteger(nanos) || nanos <= 0) return;
    const period = this.current(keyId, ts);
    if (utcMonth(ts) === period.month) period.monthNanos += nanos;
    if (utcDay(ts) === period.day) period.dayNanos += nanos;
  }

  /** Spend in the UTC day and month that contain `now`. */
  spent(keyId: string, now: number): Spend {
    const period = this.periods.get(keyId);
    if (!period) return { dayNanos: 0, monthNanos: 0 };
    return {
      dayNanos: utcDay(now) === period.day ? period.dayNanos : 0,
      monthNanos: utcMonth(now) === period.month ? period.monthNanos : 0,
    };
  }

  /** The key's period, rolled forward to `ts` if `ts` is later; never rolled back. */
  private current(keyId: string, ts: number): Period {
    const day = utcDay(ts);
    const month = utcMonth(ts);
    let period = this.periods.get(keyId);
    if (!period) {
      period = { day, month, dayNanos: 0, monthNanos: 0 };
      this.periods.set(keyId, period);
    }
    if (month > period.month) Object.assign(period, { month, monthNanos: 0 });
    if (day > period.day) Object.assign(period, { day, dayNanos: 0 });
    return period;
  }
}
