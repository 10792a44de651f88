import type Database from 'better-sqlite3';
import type { OverviewResponse, UsageBreakdown, UsageDay } from '../../contracts/control-api.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import { rowToEvent, type UsageEventRow } from './usage-events.ts';

const DAY_MS = 86_400_000;

/** Spend and requests per day and by provider, model and key since `sinceMs`. */
export function usageOverview(db: Database.Database, sinceMs: number): OverviewResponse {
  const days = db
    .prepare(
      `SELECT strftime('%Y-%m-%d', ts / 1000, 'unixepoch') AS day, count(*) AS requests,
              sum(cost_nanos) AS costNanos, sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens
       FROM usage_events WHERE ts >= ? GROUP BY ts / ${DAY_MS} ORDER BY day`,
    )
    .all(sinceMs) as UsageDay[];
  const totals = db
    .prepare(
      `SELECT count(*) AS requests, coalesce(sum(cost_nanos), 0) AS costNanos,
              coalesce(sum(CASE WHEN error_class IS NOT NULL OR status >= 400 THEN 1 ELSE 0 END), 0) AS errors
       FROM usage_events WHERE ts >= ?`,
    )
    .get(sinceMs) as OverviewResponse['totals'];
  return {
    days,
    byProvider: breakdown(db, 'provider', sinceMs),
    byModel: breakdown(db, 'model_requested', sinceMs),
    byKey: breakdown(db, "coalesce(key_id, project, '(no key)')", sinceMs),
    totals,
  };
}

function breakdown(db: Database.Database, column: string, sinceMs: number): UsageBreakdown[] {
  return db
    .prepare(
      `SELECT ${column} AS key, count(*) AS requests, sum(cost_nanos) AS costNanos
       FROM usage_events WHERE ts >= ? GROUP BY 1 ORDER BY costNanos DESC LIMIT 20`,
    )
    .all(sinceMs) as UsageBreakdown[];
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
