import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { OPTIMIZERS } from '../../../contracts/optimization.ts';
import type { SavingsReport } from '../../../contracts/savings.ts';
import { DAY_MS } from '../../../analytics/proof/queries.ts';
import { billingFor, buildSavingsReport, feeNanos } from '../../../analytics/proof/savings-report.ts';
import { estimateControlSavings } from '../../../analytics/proof/control-estimate.ts';
import { normalSource, seededRandom } from '../../../analytics/proof/stats-math.ts';
import { openStore } from '../../../analytics/store/db.ts';

const DAY0 = Date.UTC(2026, 2, 1);
const WINDOW = { fromMs: DAY0, toMs: DAY0 + 7 * DAY_MS };

interface Traffic {
  units: number;
  controlShare: number;
  /** Multiplies the stored baseline, as a proxy that overstates what requests would have cost. */
  baselineBias?: number;
}

/**
 * A week of proxied traffic: treatment saves 30% (half exact cache, half routing), control runs
 * untouched, and 40 units run experiment "tier", whose b arm costs half as much.
 */
function seedStore(seed: number, t: Traffic): Database.Database {
  const db = openStore(':memory:');
  const random = seededRandom(seed);
  const normal = normalSource(random);
  const stmt = db.prepare(
    `INSERT INTO usage_events (id, ts, api, endpoint, provider, model_requested, model_served, streamed,
       input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,
       cost_nanos, latency_us, status, error_class, baseline_cost_nanos, saved_exact_cache_nanos, saved_routing_nanos,
       arm, unit_id, route)
     VALUES (?, ?, 'openai', 'chat', 'openai', 'gpt-4o', ?, 0, 1, 1, 0, 0, 0, 0, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  let id = 0;
  const experimentUnits = 40;
  db.transaction(() => {
    for (let u = 0; u < t.units + experimentUnits; u++) {
      const arm =
        u >= t.units ? `exp:tier:${u % 2 ? 'b' : 'a'}` : random() < t.controlShare ? 'control' : 'treatment';
      const level = 20_000 * Math.exp(0.3 * normal());
      const requests = 5 + Math.floor(random() * 30);
      for (let r = 0; r < requests; r++) {
        const baseline = Math.round(level * Math.exp(0.2 * normal()));
        const factor = arm === 'treatment' ? 0.7 : arm === 'exp:tier:b' ? 0.5 : 1;
        const cost = Math.round(baseline * factor);
        const reported = arm === 'treatment' ? Math.round(baseline * (t.baselineBias ?? 1)) : baseline;
        const saved = reported - cost;
        const cached = Math.floor(saved / 2);
        const served = arm === 'treatment' && r % 2 ? 'gpt-4o-mini' : 'gpt-4o';
        const ts = DAY0 + Math.floor(random() * 7 * DAY_MS);
        const status = r % 50 === 49 ? 500 : 200;
        stmt.run(
          `e${id++}`,
          ts,
          served,
          cost,
          200_000 + r * 1_000,
          status,
          reported,
          cached,
          saved - cached,
          arm,
          `unit${u}`,
          u % 3 ? 'chat' : 'summarize',
        );
      }
    }
  })();
  return db;
}

function expectJsonSafe(report: SavingsReport): void {
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
}

describe('savings report', () => {
  it('bills the counterfactual savings when the control group corroborates them', () => {
    const report = buildSavingsReport(seedStore(1, { units: 400, controlShare: 0.1 }), WINDOW);
    const { treatment, controlEstimate: e, billing } = report;
    expect(e.status).toBe('ok');
    expect(e.counterfactualInside).toBe(true);
    // The true saving rate is 30%.
    expect(e.savingRateInterval!.lower).toBeLessThan(0.3);
    expect(e.savingRateInterval!.upper).toBeGreaterThan(0.3);
    expect(e.counterfactualSavingsNanos).toBe(treatment.savingsNanos);
    expect(treatment.savingsNanos).toBe(treatment.baselineCostNanos - treatment.actualCostNanos);
    expect(treatment.savingsNanos).toBe(report.byDay.reduce((s, d) => s + d.savingsNanos, 0));
    const attributed = OPTIMIZERS.reduce((s, o) => s + treatment.byOptimizer[o], 0);
    expect(attributed + treatment.unattributedNanos).toBe(treatment.savingsNanos);
    expect(treatment.byOptimizer.exact_cache).toBeGreaterThan(0);
    expect(billing).toMatchObject({
      basis: 'counterfactual',
      billableSavingsNanos: treatment.savingsNanos,
      feeShare: 0.2,
    });
    expect(billing.feeNanos).toBe(Math.floor(treatment.savingsNanos / 5));
    expect(report.byDay).toHaveLength(7);
    expect(report.period).toEqual(WINDOW);
    expectJsonSafe(report);
  });

  it('bills only the control lower bound when the proxy overstates its baseline', () => {
    const report = buildSavingsReport(seedStore(2, { units: 400, controlShare: 0.1, baselineBias: 1.5 }), {
      ...WINDOW,
      feeShare: 0.25,
    });
    const e = report.controlEstimate;
    expect(e.counterfactualInside).toBe(false);
    expect(e.counterfactualSavingsNanos).toBeGreaterThan(e.savingsInterval!.upper);
    expect(report.billing.basis).toBe('control_lower_bound');
    expect(report.billing.billableSavingsNanos).toBe(Math.max(0, e.savingsInterval!.lower));
    expect(report.billing.billableSavingsNanos).toBeLessThan(report.treatment.savingsNanos);
    expect(report.billing.feeNanos).toBe(Math.floor(report.billing.billableSavingsNanos / 4));
    expect(report.billing.explanation).toMatch(/outside/);
  });

  it('bills nothing while the control group is too small for an interval', () => {
    const report = buildSavingsReport(seedStore(3, { units: 60, controlShare: 0.05 }), WINDOW);
    expect(report.controlEstimate.status).not.toBe('ok');
    expect(report.billing).toMatchObject({ basis: 'unproven', billableSavingsNanos: 0, feeNanos: 0 });
    expect(report.treatment.savingsNanos).toBeGreaterThan(0);
  });

  it('counts requests by arm, tests the experiment and draws the frontier per route', () => {
    const db = seedStore(4, { units: 200, controlShare: 0.1 });
    const report = buildSavingsReport(db, WINDOW);
    const total = (db.prepare('SELECT count(*) AS n FROM usage_events').get() as { n: number }).n;
    const byArm = report.requestsByArm;
    expect(byArm.treatment + byArm.control + byArm.experiment + byArm.unassigned).toBe(total);
    expect(byArm.treatment).toBe(report.treatment.requests);
    expect(report.experiments).toHaveLength(1);
    const tier = report.experiments[0]!;
    expect(tier.name).toBe('tier');
    expect(tier.requestsA + tier.requestsB).toBe(byArm.experiment);
    expect(tier.test.looks).toBe(7);
    expect(tier.test.decision).toBe('b_better');
    expect(tier.test.confidenceSequence!.upper).toBeLessThan(0);
    expect(report.pareto.map((r) => r.route)).toEqual(['chat', 'summarize']);
    for (const route of report.pareto) {
      // b is half the baseline cost at the same latency and success rate: nothing beats it on cost.
      expect(route.frontier[0]!.id).toBe('exp:tier:b|gpt-4o');
      expect(route.dominated).toContain('control|gpt-4o');
    }
    expectJsonSafe(report);
  });

  it('reports an empty window without inventing numbers', () => {
    const report = buildSavingsReport(openStore(':memory:'), WINDOW);
    expect(report.requestsByArm).toEqual({ treatment: 0, control: 0, experiment: 0, unassigned: 0 });
    expect(report.treatment.savingsNanos).toBe(0);
    expect(report.controlEstimate.status).toBe('insufficient');
    expect(report.billing.basis).toBe('unproven');
    expect(report.experiments).toEqual([]);
    expect(report.pareto).toEqual([]);
    expectJsonSafe(report);
  });
});

describe('billing arithmetic', () => {
  it('floors the fee exactly, where float multiplication would drop a nano', () => {
    expect(0.29 * 100).toBeLessThan(29);
    expect(feeNanos(100, 0.29)).toBe(29);
    expect(feeNanos(7, 0.2)).toBe(1);
    expect(feeNanos(9_007_199_254_740, 0.2)).toBe(1_801_439_850_948);
    expect(() => feeNanos(1, -0.1)).toThrow(RangeError);
  });

  it('never bills a negative lower bound', () => {
    const e = estimateControlSavings([]);
    const billing = billingFor(
      {
        ...e,
        status: 'ok',
        savingsInterval: { lower: -500, upper: 100 },
        counterfactualSavingsNanos: 900,
        counterfactualInside: false,
      },
      0.2,
    );
    expect(billing).toMatchObject({ basis: 'control_lower_bound', billableSavingsNanos: 0, feeNanos: 0 });
  });
});
