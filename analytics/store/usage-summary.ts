import type Database from 'better-sqlite3';
import type { TokenUsage } from '../../contracts/usage.ts';

export interface UsageSummaryRange {
  /** Inclusive lower bound on `ts` (ms since epoch). */
  sinceMs?: number;
  /** Exclusive upper bound on `ts` (ms since epoch). */
  untilMs?: number;
}

/** Totals for one provider + requested model over the range; token fields are summed. */
export interface UsageSummaryRow extends TokenUsage {
  provider: string;
  model: string;
  requests: number;
  /** Requests that ended in an error class or an HTTP status >= 400. */
  errors: number;
  costNanos: number;
  /** Median wall latency, whole microseconds. */
  p50LatencyUs: number;
}

// Every summed column is an INTEGER in a STRICT table, so SUM() stays an exact
// 64-bit integer (SQLite raises on overflow rather than rounding).
const SUMMARY_SQL = `
SELECT provider,
       model_requested                                                  AS model,
       COUNT(*)                                                         AS requests,
       SUM(CASE WHEN error_class IS NOT NULL OR status >= 400 THEN 1 ELSE 0 END) AS errors,
       SUM(input_tokens)                                                AS inputTokens,
       SUM(output_tokens)                                               AS outputTokens,
       SUM(cached_input_tokens)                                         AS cachedInputTokens,
       SUM(cache_write_tokens)                                          AS cacheWriteTokens,
       SUM(cache_write_1h_tokens)                                       AS cacheWrite1hTokens,
       SUM(reasoning_tokens)                                            AS reasoningTokens,
       SUM(cost_nanos)                                                  AS costNanos,
       CAST(ROUND(median(latency_us)) AS INTEGER)                       AS p50LatencyUs
  FROM usage_events
 WHERE ts >= @sinceMs AND ts < @untilMs
 GROUP BY provider, model_requested
 ORDER BY costNanos DESC, provider, model`;

type RawSummaryRow = { provider: string; model: string } & Record<string, bigint>;

const INTEGER_FIELDS = [
  'requests',
  'errors',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'reasoningTokens',
  'costNanos',
  'p50LatencyUs',
] as const;

/** Totals by provider and requested model, most expensive first. */
export function summarizeUsage(db: Database.Database, range: UsageSummaryRange = {}): UsageSummaryRow[] {
  const params = {
    sinceMs: Math.trunc(range.sinceMs ?? Number.MIN_SAFE_INTEGER),
    untilMs: Math.trunc(range.untilMs ?? Number.MAX_SAFE_INTEGER),
  };
  // Read as BigInt so a total past 2^53 fails loudly instead of rounding.
  const rows = db.prepare<[typeof params], RawSummaryRow>(SUMMARY_SQL).safeIntegers(true).all(params);
  return rows.map(toSummaryRow);
}

function toSummaryRow(raw: RawSummaryRow): UsageSummaryRow {
  const row = { provider: raw.provider, model: raw.model } as UsageSummaryRow;
  for (const field of INTEGER_FIELDS) row[field] = toExactNumber(raw[field], field);
  return row;
}

function toExactNumber(value: bigint | undefined, field: string): number {
  const number = Number(value ?? 0n);
  if (!Number.isSafeInteger(number)) throw new RangeError(`usage summary ${field} exceeds 2^53: ${value}`);
  return number;
}
