/**
 * The reads behind the proof-of-value report, each over the half-open window [fromMs, toMs) of
 * usage_events. Arm-filtered reads go through usage_events_by_arm (arm, ts), which also covers the
 * per-arm counts; whole-window reads go through usage_events_by_ts. Sums of money are SQLite integer
 * sums, so they stay exact integers.
 */
import type Database from 'better-sqlite3';
import { OPTIMIZERS, type OptimizerName } from '../../contracts/optimization.ts';
import type { DaySavings, RequestsByArm } from '../../contracts/savings.ts';
import type { UnitTotals } from './control-estimate.ts';

export interface Window {
  fromMs: number;
  toMs: number;
}

export const DAY_MS = 86_400_000;

// Events that carry an arm but no unit id (should not happen) form one conservative cluster.
const UNIT = "coalesce(unit_id, '(unknown)')";

/** Every distinct arm ever stored, by a loose index scan: one index seek per arm, not per row. */
export function distinctArms(db: Database.Database, from = '', below = '\uffff'): string[] {
  const rows = db
    .prepare<[string, string, string], { arm: string }>(
      `WITH RECURSIVE arms(arm) AS (
         SELECT min(arm) FROM usage_events WHERE arm >= ? AND arm < ?
         UNION ALL
         SELECT (SELECT min(e.arm) FROM usage_events e WHERE e.arm > arms.arm AND e.arm < ?)
         FROM arms WHERE arms.arm IS NOT NULL)
       SELECT arm FROM arms WHERE arm IS NOT NULL`,
    )
    .all(from, below, below);
  return rows.map((r) => r.arm);
}

/** Requests per arm in the window. */
export function requestsByArm(db: Database.Database, w: Window): RequestsByArm {
  const countArm = db.prepare<[string, number, number], { n: number }>(
    'SELECT count(*) AS n FROM usage_events WHERE arm = ? AND ts >= ? AND ts < ?',
  );
  const out: RequestsByArm = { treatment: 0, control: 0, experiment: 0, unassigned: 0 };
  let assigned = 0;
  for (const arm of distinctArms(db)) {
    const n = countArm.get(arm, w.fromMs, w.toMs)?.n ?? 0;
    assigned += n;
    if (arm === 'treatment') out.treatment += n;
    else if (arm === 'control') out.control += n;
    else if (arm.startsWith('exp:')) out.experiment += n;
  }
  const total = db
    .prepare<[number, number], { n: number }>(
      'SELECT count(*) AS n FROM usage_events WHERE ts >= ? AND ts < ?',
    )
    .get(w.fromMs, w.toMs);
  // Unknown arm names (neither treatment, control nor exp:) count as assigned but belong to no group.
  out.unassigned = (total?.n ?? 0) - assigned;
  return out;
}

/** Per-unit totals of the treatment and control arms, for the control estimate. */
export function unitTotalsByArm(db: Database.Database, w: Window): UnitTotals[] {
  return db
    .prepare<[number, number], UnitTotals>(
      `SELECT ${UNIT} AS unitId, arm, count(*) AS requests, sum(cost_nanos) AS costNanos,
              sum(baseline_cost_nanos) AS baselineCostNanos
       FROM usage_events WHERE arm IN ('treatment', 'control') AND ts >= ? AND ts < ?
       GROUP BY arm, unitId ORDER BY arm, unitId`,
    )
    .all(w.fromMs, w.toMs);
}

/** Names of the A/B experiments with requests in the window, sorted. */
export function experimentNames(db: Database.Database, w: Window): string[] {
  const any = db.prepare<[string, number, number], { one: number }>(
    'SELECT 1 AS one FROM usage_events WHERE arm = ? AND ts >= ? AND ts < ? LIMIT 1',
  );
  const names = new Set<string>();
  // ';' is the character after ':', so [exp:, exp;) is exactly the arms starting with "exp:".
  for (const arm of distinctArms(db, 'exp:', 'exp;')) {
    const match = /^exp:(.+):[ab]$/.exec(arm);
    if (match?.[1] && any.get(arm, w.fromMs, w.toMs)) names.add(match[1]);
  }
  return [...names].sort();
}

/** One unit's requests and cost on one UTC day in one experiment arm. */
export interface ExperimentUnitDay {
  variant: 'a' | 'b';
  unitId: string;
  /** Days since the Unix epoch (UTC). */
  day: number;
  requests: number;
  costNanos: number;
}

/** Per unit and day totals of experiment `exp:<name>:a|b`, ordered by day. */
export function experimentUnitDays(db: Database.Database, name: string, w: Window): ExperimentUnitDay[] {
  return db
    .prepare<[string, string, number, number], ExperimentUnitDay>(
      `SELECT substr(arm, -1) AS variant, ${UNIT} AS unitId, ts / ${DAY_MS} AS day,
              count(*) AS requests, sum(cost_nanos) AS costNanos
       FROM usage_events WHERE arm IN (?, ?) AND ts >= ? AND ts < ?
       GROUP BY arm, unitId, day ORDER BY day, arm, unitId`,
    )
    .all(`exp:${name}:a`, `exp:${name}:b`, w.fromMs, w.toMs);
}

/** Per unit metric of one experiment: cost per request of each unit over the whole window. */
export function experimentUnitMetrics(
  db: Database.Database,
  name: string,
  w: Window,
): { a: number[]; b: number[] } {
  const looks = dailyLooks(experimentUnitDays(db, name, w));
  return looks.at(-1) ?? { a: [], b: [] };
}

/**
 * Cumulative looks, one per day with data: at each, every unit seen so far contributes its cost per
 * request up to the end of that day.
 */
export function dailyLooks(rows: readonly ExperimentUnitDay[]): { a: number[]; b: number[] }[] {
  const totals = new Map<string, { variant: 'a' | 'b'; requests: number; cost: number }>();
  const looks: { a: number[]; b: number[] }[] = [];
  let i = 0;
  while (i < rows.length) {
    const day = (rows[i] as ExperimentUnitDay).day;
    for (; i < rows.length && (rows[i] as ExperimentUnitDay).day === day; i++) {
      const r = rows[i] as ExperimentUnitDay;
      const key = `${r.variant}\u0000${r.unitId}`;
      const t = totals.get(key) ?? { variant: r.variant, requests: 0, cost: 0 };
      t.requests += r.requests;
      t.cost += r.costNanos;
      totals.set(key, t);
    }
    const look = { a: [] as number[], b: [] as number[] };
    for (const t of totals.values()) if (t.requests > 0) look[t.variant].push(t.cost / t.requests);
    looks.push(look);
  }
  return looks;
}

const SAVED_SUMS = OPTIMIZERS.map((o) => `sum(saved_${o}_nanos) AS ${o}`).join(', ');

type DayRow = { day: number; requests: number; baseline: number; actual: number } & Record<
  OptimizerName,
  number
>;

/** Treatment requests' baseline, actual and per-optimizer savings per UTC day. */
export function treatmentSavingsByDay(db: Database.Database, w: Window): DaySavings[] {
  const rows = db
    .prepare<[number, number], DayRow>(
      `SELECT ts / ${DAY_MS} AS day, count(*) AS requests, sum(baseline_cost_nanos) AS baseline,
              sum(cost_nanos) AS actual, ${SAVED_SUMS}
       FROM usage_events WHERE arm = 'treatment' AND ts >= ? AND ts < ?
       GROUP BY day ORDER BY day`,
    )
    .all(w.fromMs, w.toMs);
  return rows.map((r) => {
    const byOptimizer = Object.fromEntries(OPTIMIZERS.map((o) => [o, r[o]])) as Record<OptimizerName, number>;
    const savingsNanos = r.baseline - r.actual;
    const attributed = OPTIMIZERS.reduce((s, o) => s + r[o], 0);
    return {
      day: new Date(r.day * DAY_MS).toISOString().slice(0, 10),
      requests: r.requests,
      baselineCostNanos: r.baseline,
      actualCostNanos: r.actual,
      savingsNanos,
      byOptimizer,
      unattributedNanos: savingsNanos - attributed,
    };
  });
}

/** One configuration (arm × served model) on one route over the window. */
export interface RouteConfiguration {
  /** x-apex-route, else the requested model. */
  route: string;
  /** Proof-of-value arm; null for unassigned requests. */
  arm: string | null;
  modelServed: string | null;
  requests: number;
  costNanos: number;
  costNanosPerRequest: number;
  latencyMsP50: number;
  /**
   * Share of requests that succeeded (status < 400, no error class). A proxy for quality: it catches
   * configurations that fail or get rejected, not answers that are worse; graded evaluations can
   * replace it per route later.
   */
  quality: number;
}

/** Most latencies fed to SQLite's median per report; larger windows are sampled evenly below it. */
export const LATENCY_SAMPLE_CAP = 1_000_000;

/**
 * Cost per request, median latency and success share per route × arm × served model. The median is
 * SQLite's exact median() (better-sqlite3 builds with SQLITE_ENABLE_PERCENTILE), which buffers 8 bytes
 * per value; past LATENCY_SAMPLE_CAP rows in the window, only a deterministic hash-of-rowid sample of
 * about the cap is buffered. A group too rare to be sampled reports its mean latency instead.
 */
export function routeConfigurations(
  db: Database.Database,
  w: Window,
  sampleCap = LATENCY_SAMPLE_CAP,
): RouteConfiguration[] {
  const total =
    db
      .prepare<[number, number], { n: number }>(
        'SELECT count(*) AS n FROM usage_events WHERE ts >= ? AND ts < ?',
      )
      .get(w.fromMs, w.toMs)?.n ?? 0;
  // Multiplying by an odd constant permutes rowid's low 16 bits, so kept rows are spread over time.
  const keep = total <= sampleCap ? 65_536 : Math.max(1, Math.floor((65_536 * sampleCap) / total));
  return db
    .prepare<[number, number, number], RouteConfiguration>(
      `SELECT coalesce(route, model_requested) AS route, arm, model_served AS modelServed,
              count(*) AS requests, sum(cost_nanos) AS costNanos,
              CAST(sum(cost_nanos) AS REAL) / count(*) AS costNanosPerRequest,
              coalesce(median(latency_us) FILTER (WHERE ((rowid * 2654435761) & 65535) < ?),
                       avg(latency_us)) / 1000.0 AS latencyMsP50,
              CAST(sum(status < 400 AND error_class IS NULL) AS REAL) / count(*) AS quality
       FROM usage_events WHERE ts >= ? AND ts < ?
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    )
    .all(keep, w.fromMs, w.toMs);
}
