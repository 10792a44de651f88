import { describe, expect, it } from 'vitest';
import { clusterBootstrapInterval } from '../../../analytics/proof/cluster-bootstrap.ts';
import {
  armRatio,
  estimateControlSavings,
  type UnitTotals,
} from '../../../analytics/proof/control-estimate.ts';
import { normalSource, seededRandom } from '../../../analytics/proof/stats-math.ts';

interface World {
  units: number;
  controlShare: number;
  /** Multiplies the baseline the proxy reports (1 = honest accounting). */
  baselineBias?: number;
}

/**
 * A proxy's traffic: unit sizes are lognormal (a few heavy users), each unit has its own cost level
 * (so requests within a unit are correlated), and treatment requests are cached (free) 15% of the
 * time and otherwise 20% cheaper. The true realized saving is Σ_T (baseline − cost).
 */
function simulate(seed: number, world: World): { units: UnitTotals[]; truth: number } {
  const random = seededRandom(seed);
  const normal = normalSource(random);
  const units: UnitTotals[] = [];
  let truth = 0;
  for (let u = 0; u < world.units; u++) {
    const arm = random() < world.controlShare ? 'control' : 'treatment';
    const requests = Math.ceil(Math.exp(3 + normal()));
    const level = 2_000 * Math.exp(0.6 * normal());
    let cost = 0;
    let baseline = 0;
    for (let r = 0; r < requests; r++) {
      const b = Math.round(level * Math.exp(0.4 * normal()));
      const c = arm === 'control' ? b : random() < 0.15 ? 0 : Math.round(b * 0.8);
      baseline += b;
      cost += c;
    }
    if (arm === 'treatment') truth += baseline - cost;
    const reported = Math.round(baseline * (world.baselineBias ?? 1));
    units.push({ unitId: `u${u}`, arm, requests, costNanos: cost, baselineCostNanos: reported });
  }
  return { units, truth };
}

describe('ratio estimator', () => {
  it('computes the CR3 cluster-robust variance by hand', () => {
    // R = 360/30 = 12; residuals −20 and +20 with leverages 1/3 and 2/3, so CR3 scales them to −30
    // and +60: V = (900 + 3600) / 30² = 5.
    const r = armRatio([
      { requests: 10, costNanos: 100 },
      { requests: 20, costNanos: 260 },
      { requests: 0, costNanos: 0 },
    ]);
    expect(r).toMatchObject({ units: 2, requests: 30, costNanos: 360, ratio: 12 });
    expect(r.variance).toBeCloseTo(5, 12);
  });
});

describe('control estimate', () => {
  it('estimates savings from per-request costs and checks the counterfactual sum against them', () => {
    const control = Array.from({ length: 12 }, (_, i): UnitTotals => ({
      unitId: `c${i}`,
      arm: 'control',
      requests: 10,
      costNanos: 1_000 + (i % 2) * 200,
      baselineCostNanos: 1_000 + (i % 2) * 200,
    }));
    const treatment = Array.from({ length: 12 }, (_, i): UnitTotals => ({
      unitId: `t${i}`,
      arm: 'treatment',
      requests: 10,
      costNanos: 700 + (i % 2) * 140,
      baselineCostNanos: 1_000 + (i % 2) * 200,
    }));
    const e = estimateControlSavings([...control, ...treatment]);
    expect(e.status).toBe('ok');
    expect(e.controlCostPerRequestNanos).toBe(110);
    expect(e.treatmentCostPerRequestNanos).toBe(77);
    expect(e.savingRate).toBeCloseTo(0.3, 12);
    expect(e.savingsNanos).toBe(120 * 33);
    expect(e.counterfactualSavingsNanos).toBe(6 * 300 + 6 * 360);
    expect(e.counterfactualInside).toBe(true);
    const ci = e.savingsInterval!;
    expect(ci.lower).toBeLessThan(3_960);
    expect(ci.upper).toBeGreaterThan(3_960);
    expect(Number.isInteger(ci.lower) && Number.isInteger(ci.upper)).toBe(true);
    expect(e.savingRateInterval!.lower).toBeLessThan(0.3);
    expect(e.savingRateInterval!.upper).toBeGreaterThan(0.3);
  });

  it('gives a point estimate but no interval when the control group is small', () => {
    const { units } = simulate(11, { units: 60, controlShare: 0.05 });
    const e = estimateControlSavings(units);
    expect(e.controlUnits).toBeLessThan(10);
    expect(e.status).toBe('low_power');
    expect(e.reason).toMatch(/control units/);
    expect(e.savingsNanos).not.toBeNull();
    expect(e.savingsInterval).toBeNull();
    expect(e.counterfactualInside).toBeNull();
  });

  it('flags too few control requests even with enough units', () => {
    const units: UnitTotals[] = Array.from({ length: 40 }, (_, i) => ({
      unitId: `u${i}`,
      arm: i < 12 ? 'control' : 'treatment',
      requests: i < 12 ? 2 : 50,
      costNanos: i < 12 ? 200 : 4_000,
      baselineCostNanos: i < 12 ? 200 : 5_000,
    }));
    const e = estimateControlSavings(units);
    expect(e.status).toBe('low_power');
    expect(e.reason).toMatch(/24 control requests/);
  });

  it('gives no estimate without a control arm', () => {
    const { units } = simulate(3, { units: 50, controlShare: 0 });
    const e = estimateControlSavings(units);
    expect(e.status).toBe('insufficient');
    expect(e.savingsNanos).toBeNull();
    expect(e.counterfactualSavingsNanos).toBeGreaterThan(0);
  });

  it('covers the true realized savings in about 95% of 200 simulated experiments', () => {
    let covered = 0;
    let agreed = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const { units, truth } = simulate(seed, { units: 600, controlShare: 0.05 });
      const e = estimateControlSavings(units);
      expect(e.status).toBe('ok');
      expect(e.counterfactualSavingsNanos).toBe(truth);
      const ci = e.savingsInterval!;
      if (truth >= ci.lower && truth <= ci.upper) covered++;
      if (e.counterfactualInside) agreed++;
    }
    // The honest counterfactual sum is the truth, so agreement is coverage.
    expect(agreed).toBe(covered);
    console.info(`control estimate: 95% interval covered the truth in ${covered}/${runs} experiments`);
    expect(covered / runs).toBeGreaterThanOrEqual(0.9);
    expect(covered / runs).toBeLessThanOrEqual(0.99);
  });

  it('catches an inflated baseline: the counterfactual sum falls outside the interval', () => {
    // Power of the check grows with the control group: 100 control units catch a 50% overstatement.
    let outside = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const e = estimateControlSavings(
        simulate(seed, { units: 2_000, controlShare: 0.05, baselineBias: 1.5 }).units,
      );
      if (e.counterfactualInside === false) outside++;
    }
    expect(outside).toBeGreaterThanOrEqual(26);
  });

  it('agrees with a seeded cluster bootstrap', () => {
    const { units } = simulate(42, { units: 1_000, controlShare: 0.05 });
    const e = estimateControlSavings(units);
    const boot = clusterBootstrapInterval(units, { seed: 9, reps: 2_000 })!;
    expect(clusterBootstrapInterval(units, { seed: 9, reps: 2_000 })).toEqual(boot);
    const deltaWidth = e.savingsInterval!.upper - e.savingsInterval!.lower;
    const bootWidth = boot.upper - boot.lower;
    expect(bootWidth / deltaWidth).toBeGreaterThan(0.7);
    expect(bootWidth / deltaWidth).toBeLessThan(1.3);
    expect(boot.lower).toBeLessThan(e.savingsNanos!);
    expect(boot.upper).toBeGreaterThan(e.savingsNanos!);
    expect(clusterBootstrapInterval(units.filter((u) => u.arm === 'treatment'))).toBeNull();
  });
});
