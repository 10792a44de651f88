import type Database from 'better-sqlite3';
import type { OverviewResponse, UsageBreakdown, UsageDay } from '../../contracts/control-api.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import { rowToEvent, type UsageEventRow } from './usage-events.ts';

const DAY_MS = 86_400_000;

/**
 * Spend and requests per day and by provider, model and key from `sinceMs` (rounded down to its UTC
 * day), read from the usage_daily rollup: milliseconds at any number of requests.
 */
export function usageOverview(db: Database.Database, sinceMs: number): OverviewResponse {
  const fromDay = Math.floor(sinceMs / DAY_MS);
  const days = db
    .prepare(
      `SELECT strftime('%Y-%m-%d', day * 86400, 'unixepoch') AS day, sum(requests) AS requests,
              sum(cost_nanos) AS costNanos, sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens
       FROM usage_daily WHERE usage_daily.day >= ? GROUP BY usage_daily.day ORDER BY usage_daily.day`,
    )
    .all(fromDay) as UsageDay[];
  const totals = db
    .prepare(
      `SELECT coalesce(sum(requests), 0) AS requests, coalesce(sum(cost_nanos), 0) AS costNanos,
              coalesce(sum(errors), 0) AS errors
       FROM usage_daily WHERE day >= ?`,
    )
    .get(fromDay) as OverviewResponse['totals'];
  return {
    days,
    byProvider: breakdown(db, 'provider', fromDay),
    byModel: breakdown(db, 'model', fromDay),
    byKey: breakdown(db, "coalesce(nullif(key_id, ''), nullif(project, ''), '(no key)')", fromDay),
    totals,
  };
}

function breakdown(db: Database.Database, column: string, fromDay: number): UsageBreakdown[] {
  return db
    .prepare(
      `SELECT ${column} AS key, sum(requests) AS requests, sum(cost_nanos) AS costNanos
       FROM usage_daily WHERE day >= ? GROUP BY 1 ORDER BY costNanos DESC LIMIT 20`,
    )
    .all(fromDay) as UsageBreakdown[];
}

/** The newest requests first, optionally before a time, for the Live page's history. */
export function recentRequests(db: Database.Database, limit: number, beforeMs?: number): UsageEvent[] {
  const rows = db
    .prepare<[number, number], UsageEventRow>(
      'SELECT * FROM usage_events WHERE ts < ? ORDER BY ts DESC, id DESC LIMIT ?',
    )
    .all(beforeMs ?? Number.MAX_SAFE_INTEGER, limit);
  return rows.map(rowToEvent);
}
