import type Database from 'better-sqlite3';

const DAY_MS = 86_400_000;

/** Token usage summed per provider, model, project, key and batch flag over the whole store. */
export interface UsageGroup {
  kind: 'cost' | 'usage';
  provider: string;
  model: string;
  project: string;
  apiKey: string;
  batch: number;
  costNanos: number;
  listNanos: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** Null when no row of the group had a request count. */
  requests: number | null;
  rows: number;
  periodStart: number;
  periodEnd: number;
  firstRowId: number;
}

export function loadUsageGroups(db: Database.Database): UsageGroup[] {
  const rows = db
    .prepare(
      `SELECT kind, provider, model, project, api_key AS apiKey, batch,
              sum(billed_nanos) AS costNanos, sum(list_nanos) AS listNanos,
              sum(input_tokens) AS inputTokens, sum(cached_input_tokens) AS cachedInputTokens,
              sum(cache_write_tokens) AS cacheWriteTokens, sum(output_tokens) AS outputTokens,
              sum(requests) AS requests, sum(counted_rows) AS countedRows, sum(rows) AS rows,
              min(period_start) AS periodStart, max(period_end) AS periodEnd, min(first_row_id) AS firstRowId
       FROM cost_daily
       WHERE model <> '' AND (input_tokens > 0 OR output_tokens > 0)
       GROUP BY kind, provider, model, project, api_key, batch`,
    )
    .all() as Array<UsageGroup & { countedRows: number }>;
  // Requests are only meaningful when every row of the group counted them.
  return rows.map(({ countedRows, ...g }) => ({
    ...g,
    requests: countedRows === g.rows ? g.requests : null,
  }));
}

/** One cloud resource (instance, VM) summed over the store, with the days it was billed. */
export interface ResourceGroup {
  provider: string;
  resourceId: string;
  resourceType: string;
  pricingCategory: string;
  account: string;
  region: string;
  costNanos: number;
  listNanos: number;
  daysBilled: number;
  rows: number;
  periodStart: number;
  periodEnd: number;
  firstRowId: number;
  tags: Record<string, string>;
}

export function loadResourceGroups(db: Database.Database): ResourceGroup[] {
  const rows = db
    .prepare(
      `SELECT d.provider, d.resource_id AS resourceId, max(d.resource_type) AS resourceType,
              max(d.pricing_category) AS pricingCategory, max(d.account) AS account, max(d.region) AS region,
              sum(d.billed_nanos) AS costNanos, sum(d.list_nanos) AS listNanos,
              count(DISTINCT d.day) AS daysBilled, sum(d.rows) AS rows,
              min(d.period_start) AS periodStart, max(d.period_end) AS periodEnd,
              min(d.first_row_id) AS firstRowId, t.tags AS tagsJson
       FROM cost_daily d
       LEFT JOIN resource_tags t ON t.provider = d.provider AND t.resource_id = d.resource_id
       WHERE d.kind = 'cost' AND d.resource_id <> '' AND d.resource_type <> ''
       GROUP BY d.provider, d.resource_id`,
    )
    .all() as Array<Omit<ResourceGroup, 'tags'> & { tagsJson: string | null }>;
  return rows.map(({ tagsJson, ...g }) => ({ ...g, tags: parseTags(tagsJson) }));
}

function parseTags(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return {};
  }
}

/** Spend per provider and day, with the basis rule of the report applied (see totals.ts). */
export interface DailySpend {
  provider: string;
  day: number;
  costNanos: number;
}

/** Whole days an evidence window spans, at least 1. */
export function windowDays(periodStart: number, periodEnd: number): number {
  return Math.max(1, Math.round((periodEnd - periodStart) / DAY_MS));
}

export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
