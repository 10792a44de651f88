/**
 * The proof-of-value savings report for a finance team: the proxy's counterfactual accounting, the
 * control-group estimate that corroborates (or overrules) it, what is billable under the rule in
 * contracts/savings.ts, the A/B experiments' always-valid tests, and each route's Pareto frontier.
 */
import type Database from 'better-sqlite3';
import { OPTIMIZERS, type OptimizerName } from '../../contracts/optimization.ts';
import type {
  Billing,
  ControlEstimate,
  DaySavings,
  ExperimentReport,
  ParetoPoint,
  SavingsReport,
  SavingsTotals,
} from '../../contracts/savings.ts';
import { estimateControlSavings, type ControlEstimateOptions } from './control-estimate.ts';
import { paretoFrontiers } from './pareto.ts';
import {
  dailyLooks,
  experimentNames,
  experimentUnitDays,
  requestsByArm,
  routeConfigurations,
  treatmentSavingsByDay,
  unitTotalsByArm,
  type RouteConfiguration,
  type Window,
} from './queries.ts';
import { runSequentialTest, type SequentialOptions } from './sequential-test.ts';

export interface SavingsReportOptions extends Window {
  /** Apex's share of billable savings; default 0.2. Applied exactly to 6 decimal places. */
  feeShare?: number;
  control?: ControlEstimateOptions;
  sequential?: SequentialOptions;
}

export const DEFAULT_FEE_SHARE = 0.2;

export function buildSavingsReport(db: Database.Database, opts: SavingsReportOptions): SavingsReport {
  const window: Window = { fromMs: opts.fromMs, toMs: opts.toMs };
  const byDay = treatmentSavingsByDay(db, window);
  const controlEstimate = estimateControlSavings(unitTotalsByArm(db, window), opts.control);
  return {
    period: window,
    requestsByArm: requestsByArm(db, window),
    treatment: sumDays(byDay),
    byDay,
    controlEstimate,
    billing: billingFor(controlEstimate, opts.feeShare ?? DEFAULT_FEE_SHARE),
    experiments: experimentReports(db, window, opts.sequential),
    pareto: paretoFrontiers(routeConfigurations(db, window).map(toParetoPoint)),
  };
}

function sumDays(days: readonly DaySavings[]): SavingsTotals {
  const byOptimizer = Object.fromEntries(OPTIMIZERS.map((o) => [o, 0])) as Record<OptimizerName, number>;
  const total: SavingsTotals = {
    requests: 0,
    baselineCostNanos: 0,
    actualCostNanos: 0,
    savingsNanos: 0,
    byOptimizer,
    unattributedNanos: 0,
  };
  for (const d of days) {
    total.requests += d.requests;
    total.baselineCostNanos += d.baselineCostNanos;
    total.actualCostNanos += d.actualCostNanos;
    total.savingsNanos += d.savingsNanos;
    total.unattributedNanos += d.unattributedNanos;
    for (const o of OPTIMIZERS) byOptimizer[o] += d.byOptimizer[o];
  }
  return total;
}

/** Applies the billing rule documented in contracts/savings.ts. */
export function billingFor(estimate: ControlEstimate, feeShare: number): Billing {
  const interval = estimate.savingsInterval;
  if (estimate.status !== 'ok' || interval === null) {
    return bill(
      'unproven',
      0,
      feeShare,
      `no billable savings yet: ${estimate.reason ?? 'no control interval'}`,
    );
  }
  const counterfactual = estimate.counterfactualSavingsNanos;
  if (estimate.counterfactualInside) {
    return bill(
      'counterfactual',
      Math.max(0, counterfactual),
      feeShare,
      'the per-request counterfactual savings lie inside the control group confidence interval',
    );
  }
  return bill(
    'control_lower_bound',
    Math.max(0, interval.lower),
    feeShare,
    `the counterfactual savings (${counterfactual} nanos) lie outside the control group interval ` +
      `[${interval.lower}, ${interval.upper}], so only its lower bound is billed`,
  );
}

function bill(basis: Billing['basis'], billable: number, feeShare: number, explanation: string): Billing {
  return {
    basis,
    billableSavingsNanos: billable,
    feeShare,
    feeNanos: feeNanos(billable, feeShare),
    explanation,
  };
}

/**
 * ⌊feeShare × billable⌋ in exact integer arithmetic: a float product such as 0.29 × 100 lands on
 * 28.999…, and flooring it would under-bill by a whole nano.
 */
export function feeNanos(billableNanos: number, feeShare: number): number {
  if (!(feeShare >= 0)) throw new RangeError(`feeShare must be a non-negative number, got ${feeShare}`);
  const ppm = BigInt(Math.round(feeShare * 1_000_000));
  return Number((BigInt(Math.trunc(billableNanos)) * ppm) / 1_000_000n);
}

function experimentReports(db: Database.Database, w: Window, opts?: SequentialOptions): ExperimentReport[] {
  return experimentNames(db, w).map((name) => {
    const rows = experimentUnitDays(db, name, w);
    let requestsA = 0;
    let requestsB = 0;
    for (const r of rows) {
      if (r.variant === 'a') requestsA += r.requests;
      else requestsB += r.requests;
    }
    return { name, requestsA, requestsB, test: runSequentialTest(dailyLooks(rows), opts) };
  });
}

function toParetoPoint(c: RouteConfiguration): ParetoPoint {
  return {
    id: `${c.arm ?? '(none)'}|${c.modelServed ?? '(unknown)'}`,
    route: c.route,
    costNanosPerRequest: c.costNanosPerRequest,
    latencyMsP50: c.latencyMsP50,
    quality: c.quality,
  };
}
