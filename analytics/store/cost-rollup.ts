import type Database from 'better-sqlite3';
import type { CostRow } from '../../contracts/cost.ts';

const DAY_MS = 86_400_000;

interface DailyTotals {
  dims: (string | number)[];
  rows: number;
  billed: number;
  effective: number;
  list: number;
  quantity: number;
  input: number;
  cached: number;
  cacheWrite: number;
  output: number;
  requests: number;
  countedRows: number;
  periodStart: number;
  periodEnd: number;
  firstRowId: number;
}

const DIMENSIONS = [
  'day',
  'kind',
  'provider',
  'service_name',
  'account',
  'region',
  'resource_id',
  'resource_type',
  'pricing_category',
  'unit',
  'model',
  'project',
  'api_key',
  'batch',
  'currency',
] as const;

const MEASURES = [
  'rows',
  'billed_nanos',
  'effective_nanos',
  'list_nanos',
  'quantity',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'requests',
  'counted_rows',
] as const;

const UPSERT_DAILY = `
INSERT INTO cost_daily (${[...DIMENSIONS, ...MEASURES, 'period_start', 'period_end', 'first_row_id'].join(', ')})
VALUES (${[...DIMENSIONS, ...MEASURES, 'period_start', 'period_end', 'first_row_id'].map(() => '?').join(', ')})
ON CONFLICT DO UPDATE SET
  ${MEASURES.map((m) => `${m} = ${m} + excluded.${m}`).join(',\n  ')},
  period_start = min(period_start, excluded.period_start),
  period_end = max(period_end, excluded.period_end),
  first_row_id = min(first_row_id, excluded.first_row_id)`;

/** Sums one import's new rows by day and dimension in memory, then folds them into cost_daily. */
export class DailyRollup {
  private readonly totals = new Map<string, DailyTotals>();

  add(row: CostRow, rowId: number): void {
    const dims = dimensionsOf(row);
    const key = dims.join('\u001f');
    let t = this.totals.get(key);
    if (!t) {
      t = emptyTotals(dims, row, rowId);
      this.totals.set(key, t);
    }
    accumulate(t, row);
  }

  /** Writes the sums; call inside the import's transaction so rows and rollup commit together. */
  flush(db: Database.Database): void {
    const upsert = db.prepare(UPSERT_DAILY);
    for (const t of this.totals.values()) {
      upsert.run(
        ...t.dims,
        t.rows,
        t.billed,
        t.effective,
        t.list,
        t.quantity,
        t.input,
        t.cached,
        t.cacheWrite,
        t.output,
        t.requests,
        t.countedRows,
        t.periodStart,
        t.periodEnd,
        t.firstRowId,
      );
    }
    this.totals.clear();
  }
}

function dimensionsOf(row: CostRow): (string | number)[] {
  return [
    Math.floor(row.chargePeriodStart / DAY_MS),
    row.kind,
    row.provider,
    row.serviceName,
    row.account ?? '',
    row.region ?? '',
    row.resourceId ?? '',
    row.resourceType ?? '',
    row.pricingCategory ?? '',
    row.consumedUnit ?? '',
    row.model ?? '',
    row.project ?? '',
    row.apiKey ?? '',
    row.batch === null ? -1 : row.batch ? 1 : 0,
    row.billingCurrency,
  ];
}

function emptyTotals(dims: (string | number)[], row: CostRow, rowId: number): DailyTotals {
  return {
    dims,
    rows: 0,
    billed: 0,
    effective: 0,
    list: 0,
    quantity: 0,
    input: 0,
    cached: 0,
    cacheWrite: 0,
    output: 0,
    requests: 0,
    countedRows: 0,
    periodStart: row.chargePeriodStart,
    periodEnd: row.chargePeriodEnd,
    firstRowId: rowId,
  };
}

function accumulate(t: DailyTotals, row: CostRow): void {
  t.rows += 1;
  t.billed += row.billedCostNanos;
  t.effective += row.effectiveCostNanos;
  // A row without a list cost is at list price as far as anyone can tell.
  t.list += row.listCostNanos ?? row.billedCostNanos;
  t.quantity += row.consumedQuantity ?? 0;
  t.input += row.inputTokens ?? 0;
  t.cached += row.cachedInputTokens ?? 0;
  t.cacheWrite += row.cacheWriteTokens ?? 0;
  t.output += row.outputTokens ?? 0;
  if (row.requests !== null) {
    t.requests += row.requests;
    t.countedRows += 1;
  }
  t.periodStart = Math.min(t.periodStart, row.chargePeriodStart);
  t.periodEnd = Math.max(t.periodEnd, row.chargePeriodEnd);
}
