import type Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OptimizerName } from '../../../contracts/optimization.ts';
import { openStore } from '../../../analytics/store/db.ts';
import {
  DAY_MS,
  dailyLooks,
  distinctArms,
  experimentNames,
  experimentUnitDays,
  experimentUnitMetrics,
  requestsByArm,
  routeConfigurations,
  treatmentSavingsByDay,
  unitTotalsByArm,
} from '../../../analytics/proof/queries.ts';

interface Row {
  ts: number;
  cost: number;
  baseline?: number;
  arm?: string | null;
  unit?: string | null;
  route?: string | null;
  model?: string;
  served?: string | null;
  latencyUs?: number;
  status?: number;
  errorClass?: string | null;
  saved?: Partial<Record<OptimizerName, number>>;
}

let nextId = 0;
function insert(db: Database.Database, rows: readonly Row[]): void {
  const stmt = db.prepare(
    `INSERT INTO usage_events (id, ts, api, endpoint, provider, model_requested, model_served, streamed,
       input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,
       cost_nanos, latency_us, status, error_class, baseline_cost_nanos, saved_exact_cache_nanos, saved_routing_nanos,
       arm, unit_id, route)
     VALUES (?, ?, 'openai', 'chat', 'openai', ?, ?, 0, 1, 1, 0, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) {
    stmt.run(
      `e${nextId++}`,
      r.ts,
      r.model ?? 'gpt-4o',
      r.served === undefined ? 'gpt-4o' : r.served,
      r.cost,
      r.latencyUs ?? 100_000,
      r.status ?? 200,
      r.errorClass ?? null,
      r.baseline ?? r.cost,
      r.saved?.exact_cache ?? 0,
      r.saved?.routing ?? 0,
      r.arm ?? null,
      r.unit === undefined ? 'u' : r.unit,
      r.route ?? null,
    );
  }
}

const DAY0 = Date.UTC(2026, 0, 5);
const window = { fromMs: DAY0, toMs: DAY0 + 2 * DAY_MS };

describe('proof-of-value queries', () => {
  let db: Database.Database;
  beforeEach(() => {
    db = openStore(':memory:');
  });

  it('totals treatment and control per unit inside [from, to) only', () => {
    insert(db, [
      { ts: DAY0, cost: 70, baseline: 100, arm: 'treatment', unit: 'u1' },
      { ts: DAY0 + 5, cost: 30, baseline: 50, arm: 'treatment', unit: 'u1' },
      { ts: DAY0 + 6, cost: 100, arm: 'control', unit: 'u2' },
      { ts: DAY0 + 7, cost: 100, arm: 'control', unit: null },
      { ts: DAY0 + 8, cost: 100, arm: null, unit: 'u3' },
      { ts: DAY0 + 9, cost: 100, arm: 'exp:tier:a', unit: 'u4' },
      { ts: DAY0 - 1, cost: 999, arm: 'treatment', unit: 'u1' },
      { ts: window.toMs, cost: 999, arm: 'control', unit: 'u2' },
    ]);
    expect(unitTotalsByArm(db, window)).toEqual([
      { unitId: '(unknown)', arm: 'control', requests: 1, costNanos: 100, baselineCostNanos: 100 },
      { unitId: 'u2', arm: 'control', requests: 1, costNanos: 100, baselineCostNanos: 100 },
      { unitId: 'u1', arm: 'treatment', requests: 2, costNanos: 100, baselineCostNanos: 150 },
    ]);
    expect(requestsByArm(db, window)).toEqual({ treatment: 2, control: 2, experiment: 1, unassigned: 1 });
    expect(distinctArms(db)).toEqual(['control', 'exp:tier:a', 'treatment']);
  });

  it('finds experiments with requests in the window and builds cumulative daily looks', () => {
    insert(db, [
      { ts: DAY0 - DAY_MS, cost: 1, arm: 'exp:old:a' },
      { ts: DAY0 + 1, cost: 10, arm: 'exp:tier:a', unit: 'a1' },
      { ts: DAY0 + 2, cost: 30, arm: 'exp:tier:a', unit: 'a1' },
      { ts: DAY0 + 3, cost: 8, arm: 'exp:tier:b', unit: 'b1' },
      { ts: DAY0 + DAY_MS, cost: 50, arm: 'exp:tier:a', unit: 'a1' },
      { ts: DAY0 + DAY_MS + 1, cost: 6, arm: 'exp:tier:b', unit: 'b2' },
      { ts: DAY0 + 4, cost: 5, arm: 'exp:zeta:b', unit: 'z' },
    ]);
    expect(experimentNames(db, window)).toEqual(['tier', 'zeta']);
    const rows = experimentUnitDays(db, 'tier', window);
    expect(rows[0]).toEqual({ variant: 'a', unitId: 'a1', day: DAY0 / DAY_MS, requests: 2, costNanos: 40 });
    // Day 1: a1 at 20 per request; day 2: a1 at 90 / 3 = 30, and b2 joins.
    expect(dailyLooks(rows)).toEqual([
      { a: [20], b: [8] },
      { a: [30], b: [8, 6] },
    ]);
    expect(experimentUnitMetrics(db, 'tier', window)).toEqual({ a: [30], b: [8, 6] });
    expect(experimentUnitMetrics(db, 'none', window)).toEqual({ a: [], b: [] });
  });

  it('sums treatment savings per UTC day and optimizer, keeping unclaimed savings visible', () => {
    insert(db, [
      { ts: DAY0 + 10, cost: 60, baseline: 100, arm: 'treatment', saved: { exact_cache: 25, routing: 10 } },
      { ts: DAY0 + 20, cost: 0, baseline: 40, arm: 'treatment', saved: { exact_cache: 40 } },
      { ts: DAY0 + DAY_MS, cost: 50, baseline: 80, arm: 'treatment', saved: { routing: 30 } },
      { ts: DAY0 + 30, cost: 100, baseline: 100, arm: 'control' },
    ]);
    const days = treatmentSavingsByDay(db, window);
    expect(days.map((d) => d.day)).toEqual(['2026-01-05', '2026-01-06']);
    expect(days[0]).toEqual({
      day: '2026-01-05',
      requests: 2,
      baselineCostNanos: 140,
      actualCostNanos: 60,
      savingsNanos: 80,
      byOptimizer: {
        exact_cache: 65,
        semantic_cache: 0,
        compression: 0,
        routing: 10,
        prompt_caching: 0,
        service_tier: 0,
      },
      unattributedNanos: 5,
    });
    expect(days[1]!.byOptimizer.routing).toBe(30);
    expect(days[1]!.unattributedNanos).toBe(0);
  });

  it('measures cost, median latency and success share per route and configuration', () => {
    const base = { ts: DAY0, arm: 'treatment', route: 'summarize' };
    insert(db, [
      { ...base, cost: 10, latencyUs: 100_000, served: 'gpt-4o-mini' },
      {
        ...base,
        cost: 20,
        latencyUs: 300_000,
        served: 'gpt-4o-mini',
        status: 500,
        errorClass: 'upstream_error',
      },
      { ...base, cost: 30, latencyUs: 200_000, served: 'gpt-4o-mini', errorClass: 'stream_cut' },
      { ...base, cost: 40, latencyUs: 900_000, served: 'gpt-4o-mini' },
      { ts: DAY0, cost: 5, latencyUs: 50_000, model: 'gpt-4o', route: null, arm: null, served: null },
    ]);
    const configs = routeConfigurations(db, window);
    expect(configs).toEqual([
      {
        route: 'gpt-4o',
        arm: null,
        modelServed: null,
        requests: 1,
        costNanos: 5,
        costNanosPerRequest: 5,
        latencyMsP50: 50,
        quality: 1,
      },
      {
        route: 'summarize',
        arm: 'treatment',
        modelServed: 'gpt-4o-mini',
        requests: 4,
        costNanos: 100,
        costNanosPerRequest: 25,
        latencyMsP50: 250,
        quality: 0.5,
      },
    ]);
  });

  it('samples latencies past the cap and still reports a latency for every group', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 2_000; i++)
      rows.push({ ts: DAY0 + i, cost: 1, arm: 'treatment', latencyUs: (i % 100) * 1_000 });
    rows.push({ ts: DAY0, cost: 1, arm: 'control', latencyUs: 7_000 });
    insert(db, rows);
    const exact = routeConfigurations(db, window);
    const sampled = routeConfigurations(db, window, 200);
    expect(exact.find((c) => c.arm === 'treatment')!.latencyMsP50).toBe(49.5);
    const p50 = sampled.find((c) => c.arm === 'treatment')!.latencyMsP50;
    expect(p50).toBeGreaterThan(40);
    expect(p50).toBeLessThan(60);
    expect(sampled.find((c) => c.arm === 'control')!.latencyMsP50).toBe(7);
    expect(sampled.map((c) => c.requests)).toEqual(exact.map((c) => c.requests));
  });
});
