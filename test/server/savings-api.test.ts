import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavingsResponse } from '../../contracts/control-api.ts';
import type { SavingsReport } from '../../contracts/savings.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import { openStore } from '../../analytics/store/db.ts';
import { prepareUsageInsert } from '../../analytics/store/usage-events.ts';
import { createSavingsCache } from '../../server/control/savings-route.ts';
import type { RunningServe } from '../../server/serve.ts';
import { serveQuietly } from '../support/quiet-serve.ts';
import { makeEvent } from '../analytics/fixtures/events.ts';

const TOKEN = 'savings-token-0123456789';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const dataDir = mkdtempSync(join(tmpdir(), 'apex-savings-'));
let running: RunningServe;
const now = Date.now();

// A clean, successful request; makeEvent's defaults vary status and savings with the index.
function event(index: number, overrides: Partial<UsageEvent>): UsageEvent {
  return makeEvent(index, 'sav', {
    ts: now - HOUR_MS - index * 1_000,
    status: 200,
    errorClass: null,
    modelServed: 'gpt-4o-mini-2025-01-01',
    modelRequested: 'gpt-4o-mini',
    route: null,
    ...overrides,
  });
}

// 12 treatment units × 5 requests, each saving 1,000 of a 3,000 baseline (600 cache, 300 routing,
// 100 unclaimed); 12 control units × 4 requests averaging 3,000; one A/B experiment; 3 unassigned.
const treatment = Array.from({ length: 60 }, (_, i) =>
  event(i, {
    arm: 'treatment',
    unitId: `t-${i % 12}`,
    baselineCostNanos: 3_000,
    costNanos: 2_000,
    savings: { exact_cache: 600, routing: 300 },
  }),
);
const control = Array.from({ length: 48 }, (_, i) =>
  event(100 + i, {
    arm: 'control',
    unitId: `c-${i % 12}`,
    costNanos: 2_900 + (i % 3) * 100,
    baselineCostNanos: 2_900 + (i % 3) * 100,
    savings: {},
  }),
);
const experiment = Array.from({ length: 8 }, (_, i) =>
  event(200 + i, {
    arm: i % 2 === 0 ? 'exp:cheap-model:a' : 'exp:cheap-model:b',
    unitId: `e-${i % 4}`,
    costNanos: i % 2 === 0 ? 3_000 : 1_500,
    baselineCostNanos: 3_000,
    savings: {},
  }),
);
const unassigned = Array.from({ length: 3 }, (_, i) =>
  event(300 + i, { arm: null, unitId: null, baselineCostNanos: 1_000, costNanos: 1_000, savings: {} }),
);
// Ten days old: inside a 30-day report, outside a 7-day one.
const older = event(400, {
  ts: now - 10 * DAY_MS,
  arm: 'treatment',
  unitId: 't-0',
  baselineCostNanos: 5_000,
  costNanos: 1_000,
  savings: { semantic_cache: 4_000 },
});

function insert(events: readonly UsageEvent[]): void {
  const db = openStore(running.dbFile);
  try {
    expect(prepareUsageInsert(db).insertBatch(events)).toEqual({ inserted: events.length, rejected: [] });
  } finally {
    db.close();
  }
}

async function savings(query: string): Promise<{ status: number; body: SavingsResponse }> {
  const res = await fetch(new URL(`/api/savings${query}`, running.control?.url), {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  return { status: res.status, body: (await res.json()) as SavingsResponse };
}

function sum<T>(items: readonly T[], pick: (item: T) => number): number {
  return items.reduce((s, item) => s + pick(item), 0);
}

beforeAll(async () => {
  running = await serveQuietly({ controlToken: TOKEN, dataDir });
  insert([...treatment, ...control, ...experiment, ...unassigned, older]);
});
afterAll(async () => {
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/savings', () => {
  it('reports the treatment totals, arms and control estimate over the last 7 days', async () => {
    const { status, body } = await savings('?days=7');
    expect(status).toBe(200);
    expect(body.period.toMs - body.period.fromMs).toBe(7 * DAY_MS);
    expect(body.requestsByArm).toEqual({ treatment: 60, control: 48, experiment: 8, unassigned: 3 });
    const baseline = sum(treatment, (e) => e.baselineCostNanos ?? 0);
    const actual = sum(treatment, (e) => e.costNanos);
    expect(body.treatment).toMatchObject({
      requests: 60,
      baselineCostNanos: baseline,
      actualCostNanos: actual,
      savingsNanos: baseline - actual,
      unattributedNanos: 60 * 100,
    });
    expect(body.treatment.byOptimizer).toMatchObject({
      exact_cache: 36_000,
      routing: 18_000,
      compression: 0,
    });
    expect(sum(body.byDay, (d) => d.savingsNanos)).toBe(60_000);

    const estimate = body.controlEstimate;
    expect(estimate).toMatchObject({
      status: 'ok',
      reason: null,
      controlUnits: 12,
      treatmentUnits: 12,
      controlRequests: 48,
      treatmentRequests: 60,
      controlCostPerRequestNanos: 3_000,
      treatmentCostPerRequestNanos: 2_000,
      savingsNanos: 60_000,
      counterfactualSavingsNanos: 60_000,
      counterfactualInside: true,
    });
    expect(estimate.savingRate).toBeCloseTo(1 / 3, 10);
    expect(estimate.savingsInterval?.lower).toBeLessThan(60_000);
    expect(estimate.savingsInterval?.upper).toBeGreaterThan(60_000);
    expect(body.billing).toMatchObject({
      basis: 'counterfactual',
      billableSavingsNanos: 60_000,
      feeShare: 0.2,
      feeNanos: 12_000,
    });
  });

  it('lists the experiment and one Pareto frontier per route', async () => {
    const { body } = await savings('?days=7');
    expect(body.experiments).toHaveLength(1);
    expect(body.experiments[0]).toMatchObject({ name: 'cheap-model', requestsA: 4, requestsB: 4 });
    expect(body.experiments[0]?.test.meanA).toBe(3_000);
    expect(body.experiments[0]?.test.meanB).toBe(1_500);
    const route = body.pareto.find((r) => r.route === 'gpt-4o-mini');
    const ids = [...(route?.frontier.map((p) => p.id) ?? []), ...(route?.dominated ?? [])].sort();
    expect(ids).toEqual([
      '(none)|gpt-4o-mini-2025-01-01',
      'control|gpt-4o-mini-2025-01-01',
      'exp:cheap-model:a|gpt-4o-mini-2025-01-01',
      'exp:cheap-model:b|gpt-4o-mini-2025-01-01',
      'treatment|gpt-4o-mini-2025-01-01',
    ]);
  });

  it('defaults to 30 days, caches each window, and validates days', async () => {
    const first = await savings('');
    expect(first.body.period.toMs - first.body.period.fromMs).toBe(30 * DAY_MS);
    expect(first.body.requestsByArm.treatment).toBe(61);
    expect(first.body.treatment.byOptimizer.semantic_cache).toBe(4_000);
    expect(first.body.treatment.savingsNanos).toBe(64_000);

    // A new request lands; within the cache's 30 s the same window answers the same report.
    insert([event(500, { arm: 'control', unitId: 'c-0', costNanos: 3_000, baselineCostNanos: 3_000 })]);
    const again = await savings('?days=30');
    expect(again.body).toEqual(first.body);
    const fresh = await savings('?days=8');
    expect(fresh.body.requestsByArm.control).toBe(49);

    for (const days of ['0', '367', '1.5', 'abc']) {
      const bad = await savings(`?days=${days}`);
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
    }
  });

  it('leaves requests older than the window out', async () => {
    const { body } = await savings('?days=1');
    expect(body.requestsByArm.treatment).toBe(60);
    expect(body.treatment.byOptimizer.semantic_cache).toBe(0);
  });
});

describe('savings cache', () => {
  const report = (n: number) => ({ requestsByArm: { treatment: n } }) as unknown as SavingsReport;

  it('serves a report for the TTL, then rebuilds it', async () => {
    let clock = 1_000;
    let builds = 0;
    const cache = createSavingsCache(30_000, () => clock);
    const build = async () => report(++builds);
    expect(await cache.get('30', build)).toEqual(report(1));
    clock += 29_999;
    expect(await cache.get('30', build)).toEqual(report(1));
    expect(await cache.get('7', build)).toEqual(report(2));
    clock += 1;
    expect(await cache.get('30', build)).toEqual(report(3));
    expect(builds).toBe(3);
  });

  it('keeps at most maxEntries reports, dropping the oldest build', async () => {
    let builds = 0;
    const cache = createSavingsCache(30_000, () => 0, 2);
    const build = async () => report(++builds);
    await cache.get('a', build);
    await cache.get('b', build);
    await cache.get('c', build);
    expect(await cache.get('b', build)).toEqual(report(2));
    expect(await cache.get('a', build)).toEqual(report(4));
  });

  it('shares one build between viewers asking at once, and forgets a failed one', async () => {
    let builds = 0;
    const cache = createSavingsCache(30_000, () => 0);
    const failing = async (): Promise<SavingsReport> => {
      builds++;
      throw new Error('store locked');
    };
    const [first, second] = [cache.get('30', failing), cache.get('30', failing)];
    await expect(first).rejects.toThrow('store locked');
    await expect(second).rejects.toThrow('store locked');
    expect(builds).toBe(1);
    expect(await cache.get('30', async () => report(9))).toEqual(report(9));
  });
});
