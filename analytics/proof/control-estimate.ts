/**
 * Realized savings of the treatment group, estimated against the persistent control group.
 *
 * Units (users or keys) are randomized, not requests, and a unit's requests are correlated (same
 * prompts, same model), so each unit is one cluster: cost per request in each arm is a ratio
 * estimator R = Σ cost / Σ requests over the arm's units, and its variance is the cluster-robust
 * (linearization / sandwich) variance with the CR3 small-sample correction
 *     V(R) = Σ_i (e_i / (1 − h_i))² / (Σ_i m_i)²,   e_i = y_i − R·m_i,   h_i = m_i / Σ_j m_j
 * (Cochran 1977, Sampling Techniques, §6.4 for the linearization; Bell & McCaffrey 2002, Survey
 * Methodology 28(2), and Cameron & Miller 2015, J. Human Resources 50(2), for CR3, which is close to
 * the delete-one-unit jackknife). In simulation with 30 control units of very unequal size, the plain
 * CR1 sandwich with a symmetric interval covered 89% at nominal 95%; CR3 with the log-scale interval
 * below covers 92%, and 93% with 100 control units (test/analytics/proof/control-estimate.test.ts).
 *
 * Estimand: what the treatment units' own requests would have cost without Apex, minus what they
 * did cost — Σ_T baseline − Σ_T actual, the figure a finance team is billed on. The actual cost is
 * observed exactly; the error is entirely in the counterfactual cost per request of the treatment
 * units, C̄ (from control) versus B̄_T (unobserved). Var(C̄ − B̄_T) = V(C̄) + V(B̄_T). B̄_T is a mean of
 * untreated costs over the treatment units, so its variance is the treatment arm's observed variance
 * scaled back through the saving: V(B̄_T) ≈ V(T̄)·(C̄/T̄)², exact when optimizers save a proportional
 * share and conservative when they also add noise (cache hits) or save a fixed amount.
 *
 * Costs are right-skewed, so a sample that happens to miss the expensive units has both a low C̄ and a
 * low variance; a symmetric interval then misses high. The interval is therefore built on the log
 * scale of the counterfactual cost per request (delta method: se(log C̄) = √V / C̄),
 *     B̄_T ∈ C̄ · exp(±q · √(V(C̄) + V(B̄_T)) / C̄),   savings ∈ N_T · (B̄_T − T̄),
 * with q from Student's t at Welch-Satterthwaite degrees of freedom. The rate interval is the same
 * interval divided through: 1 − T̄ / B̄_T.
 */
import type { ControlEstimate, Interval } from '../../contracts/savings.ts';
import { tQuantile } from './stats-math.ts';

/** One unit's totals over the report window. */
export interface UnitTotals {
  unitId: string;
  arm: 'treatment' | 'control';
  requests: number;
  costNanos: number;
  baselineCostNanos: number;
}

export interface ControlEstimateOptions {
  /** Interval confidence level; default 0.95. */
  confidence?: number;
  /** Fewer control (or treatment) units than this gives a point estimate without an interval. */
  minUnits?: number;
  /** Fewer control requests than this gives a point estimate without an interval. */
  minControlRequests?: number;
}

export const DEFAULT_MIN_UNITS = 10;
export const DEFAULT_MIN_CONTROL_REQUESTS = 30;

/** The per-arm sufficient statistics of a ratio estimator. */
export interface ArmRatio {
  units: number;
  requests: number;
  costNanos: number;
  /** Σ cost / Σ requests. */
  ratio: number;
  /** CR3 cluster-robust variance of ratio; NaN below two units. */
  variance: number;
}

/** Ratio estimator with its cluster-robust variance; units with no requests carry no information. */
export function armRatio(units: readonly Pick<UnitTotals, 'requests' | 'costNanos'>[]): ArmRatio {
  const used = units.filter((u) => u.requests > 0);
  let requests = 0;
  let costNanos = 0;
  for (const u of used) {
    requests += u.requests;
    costNanos += u.costNanos;
  }
  const n = used.length;
  const ratio = requests > 0 ? costNanos / requests : NaN;
  if (n < 2) return { units: n, requests, costNanos, ratio, variance: NaN };
  let sumSq = 0;
  for (const u of used) sumSq += ((u.costNanos - ratio * u.requests) / (1 - u.requests / requests)) ** 2;
  const variance = sumSq / (requests * requests);
  return { units: n, requests, costNanos, ratio, variance };
}

/** Estimates realized savings of the treatment units from the control units; see the file comment. */
export function estimateControlSavings(
  units: readonly UnitTotals[],
  opts: ControlEstimateOptions = {},
): ControlEstimate {
  const confidence = opts.confidence ?? 0.95;
  const control = armRatio(units.filter((u) => u.arm === 'control'));
  const treatment = armRatio(units.filter((u) => u.arm === 'treatment'));
  const counterfactual = counterfactualSum(units);
  const base = baseEstimate(confidence, control, treatment, counterfactual);
  if (control.requests === 0 || treatment.requests === 0) {
    return { ...base, status: 'insufficient', reason: 'no requests in the control or the treatment arm' };
  }
  const point = pointEstimate(control, treatment);
  const weak = lowPowerReason(control, treatment, opts);
  if (weak !== null) return { ...base, ...point, status: 'low_power', reason: weak };
  return { ...base, ...point, ...intervals(control, treatment, confidence, counterfactual) };
}

function counterfactualSum(units: readonly UnitTotals[]): number {
  let sum = 0;
  for (const u of units) if (u.arm === 'treatment') sum += u.baselineCostNanos - u.costNanos;
  return sum;
}

function baseEstimate(
  confidence: number,
  control: ArmRatio,
  treatment: ArmRatio,
  counterfactual: number,
): ControlEstimate {
  return {
    status: 'ok',
    reason: null,
    confidence,
    controlUnits: control.units,
    treatmentUnits: treatment.units,
    controlRequests: control.requests,
    treatmentRequests: treatment.requests,
    controlCostPerRequestNanos: null,
    treatmentCostPerRequestNanos: null,
    savingRate: null,
    savingRateInterval: null,
    savingsNanos: null,
    savingsInterval: null,
    standardErrorNanos: null,
    degreesOfFreedom: null,
    counterfactualSavingsNanos: counterfactual,
    counterfactualInside: null,
  };
}

function pointEstimate(control: ArmRatio, treatment: ArmRatio): Partial<ControlEstimate> {
  const c = control.ratio;
  const t = treatment.ratio;
  return {
    controlCostPerRequestNanos: c,
    treatmentCostPerRequestNanos: t,
    savingRate: c > 0 ? 1 - t / c : null,
    savingsNanos: Math.round(treatment.requests * (c - t)),
  };
}

function lowPowerReason(control: ArmRatio, treatment: ArmRatio, opts: ControlEstimateOptions): string | null {
  const minUnits = opts.minUnits ?? DEFAULT_MIN_UNITS;
  const minRequests = opts.minControlRequests ?? DEFAULT_MIN_CONTROL_REQUESTS;
  if (control.units < minUnits) return `only ${control.units} control units (need ${minUnits})`;
  if (treatment.units < minUnits) return `only ${treatment.units} treatment units (need ${minUnits})`;
  if (control.requests < minRequests)
    return `only ${control.requests} control requests (need ${minRequests})`;
  return null;
}

/** Variances of the two error terms: control cost per request, and the treatment units' counterfactual. */
export function errorVariances(control: ArmRatio, treatment: ArmRatio): { vC: number; vB: number } {
  const vC = control.variance;
  // A free treatment arm (everything cached) has no observed spread to scale back; fall back to the
  // control's per-unit spread, spread over the treatment arm's requests.
  const vB =
    treatment.ratio > 0
      ? treatment.variance * (control.ratio / treatment.ratio) ** 2
      : (vC * control.requests ** 2 * treatment.units) / (control.units * treatment.requests ** 2);
  return { vC, vB };
}

function intervals(
  control: ArmRatio,
  treatment: ArmRatio,
  confidence: number,
  counterfactual: number,
): Partial<ControlEstimate> {
  const { vC, vB } = errorVariances(control, treatment);
  const sd = Math.sqrt(vC + vB);
  const df = welchDf(vC, control.units, vB, treatment.units);
  const q = tQuantile(1 - (1 - confidence) / 2, df);
  const c = control.ratio;
  const t = treatment.ratio;
  // A free control arm has no log scale; the symmetric interval is the only one left.
  const [low, high] =
    c > 0 ? [c * Math.exp((-q * sd) / c), c * Math.exp((q * sd) / c)] : [c - q * sd, c + q * sd];
  const nT = treatment.requests;
  const savingsInterval: Interval = { lower: Math.floor(nT * (low - t)), upper: Math.ceil(nT * (high - t)) };
  return {
    status: 'ok',
    reason: null,
    standardErrorNanos: nT * sd,
    degreesOfFreedom: df,
    savingsInterval,
    savingRateInterval: low > 0 ? { lower: 1 - t / low, upper: 1 - t / high } : null,
    counterfactualInside: counterfactual >= savingsInterval.lower && counterfactual <= savingsInterval.upper,
  };
}

/** Welch-Satterthwaite degrees of freedom, at least 1; infinite when both variances are zero. */
export function welchDf(v1: number, n1: number, v2: number, n2: number): number {
  const num = (v1 + v2) ** 2;
  const den = (v1 * v1) / (n1 - 1) + (v2 * v2) / (n2 - 1);
  if (!(den > 0)) return Number.POSITIVE_INFINITY;
  return Math.max(1, num / den);
}
