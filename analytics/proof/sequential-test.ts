/**
 * An A/B test of two configurations that may be checked after every batch of data without inflating
 * the false-positive rate: the mixture sequential probability ratio test (mSPRT) of Johari, Pekelis &
 * Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests" (2017; Operations Research 70(3),
 * 2022), as Optimizely's Stats Engine uses it.
 *
 * The observations are one metric per unit (by default cost per request), so the unit stays the
 * independent observation as in the control estimate. The difference of arm means Δ̂ = B̄ − Ā is
 * approximately N(θ, v) with v = s²_A/n_A + s²_B/n_B. Mixing the likelihood ratio against θ0 over
 * θ ~ N(θ0, τ²) gives the closed form
 *     Λ(θ0) = √(v / (v + τ²)) · exp( τ² (Δ̂ − θ0)² / (2 v (v + τ²)) ),
 * a nonnegative martingale under θ = θ0, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α. Hence
 * p = min over looks of 1/Λ(0) is an always-valid p-value, and {θ0 : Λ(θ0) < 1/α}, intersected over
 * looks, an always-valid confidence sequence. Plugging in the sample variances is the paper's
 * large-sample approximation (its §4), which is why looks with fewer than `minUnitsPerArm` units per
 * arm are skipped. When units keep accruing requests, a unit's metric changes between looks; the
 * guarantee then holds approximately, exactly as for any test on per-unit aggregates.
 *
 * τ sets which effect sizes the test is most sensitive to (power peaks near |θ| ≈ τ). Unless given,
 * it is fixed at the first usable look to 10% of arm A's mean — the scale of saving a configuration
 * change is expected to make — and carried in the state so later looks use the same mixture.
 */
import type { Interval, SequentialDecision, SequentialTestState } from '../../contracts/savings.ts';
import { meanAndVariance } from './stats-math.ts';

export interface SequentialOptions {
  /** Significance level; default 0.05. */
  alpha?: number;
  /** Mixing standard deviation over the difference; default 10% of arm A's mean at the first usable look. */
  tau?: number;
  /** Looks with fewer units than this in either arm only count; default 10. */
  minUnitsPerArm?: number;
  /** Whether a lower metric is better (cost); default true. */
  lowerIsBetter?: boolean;
}

/** Metric values of one look: one number per unit, cumulative up to the look. */
export interface Look {
  a: readonly number[];
  b: readonly number[];
}

export const DEFAULT_RELATIVE_TAU = 0.1;

/** The state before any look. */
export function initialSequentialState(opts: SequentialOptions = {}): SequentialTestState {
  return {
    looks: 0,
    alpha: opts.alpha ?? 0.05,
    tau: opts.tau ?? null,
    lowerIsBetter: opts.lowerIsBetter ?? true,
    unitsA: 0,
    unitsB: 0,
    meanA: null,
    meanB: null,
    difference: null,
    pValue: 1,
    confidenceSequence: null,
    decision: 'continue',
  };
}

/** Takes one more look. Pure: the previous state (e.g. persisted JSON) carries all the history needed. */
export function updateSequentialTest(
  prev: SequentialTestState,
  look: Look,
  opts: Pick<SequentialOptions, 'minUnitsPerArm'> = {},
): SequentialTestState {
  const a = meanAndVariance(look.a);
  const b = meanAndVariance(look.b);
  const next: SequentialTestState = {
    ...prev,
    looks: prev.looks + 1,
    unitsA: a.n,
    unitsB: b.n,
    meanA: a.n > 0 ? a.mean : null,
    meanB: b.n > 0 ? b.mean : null,
    difference: a.n > 0 && b.n > 0 ? b.mean - a.mean : null,
  };
  const minUnits = Math.max(2, opts.minUnitsPerArm ?? 10);
  const v = a.variance / a.n + b.variance / b.n;
  if (a.n < minUnits || b.n < minUnits || !(v > 0)) return next;
  const tau = prev.tau ?? defaultTau(a.mean, v);
  const diff = b.mean - a.mean;
  const pNow = Math.min(1, Math.exp(-logMixtureRatio(diff, v, tau)));
  const cs = intersect(prev.confidenceSequence, confidenceInterval(diff, v, tau, prev.alpha));
  const pValue = Math.min(prev.pValue, pNow);
  return { ...next, tau, pValue, confidenceSequence: cs, decision: decide(pValue, cs, prev) };
}

/** Runs the looks in order from the initial state. */
export function runSequentialTest(looks: Iterable<Look>, opts: SequentialOptions = {}): SequentialTestState {
  let state = initialSequentialState(opts);
  for (const look of looks) state = updateSequentialTest(state, look, opts);
  return state;
}

/** log Λ for an observed difference (already centred on θ0) with variance v under mixing sd τ. */
export function logMixtureRatio(diff: number, v: number, tau: number): number {
  const t2 = tau * tau;
  return 0.5 * Math.log(v / (v + t2)) + (t2 * diff * diff) / (2 * v * (v + t2));
}

/** {θ0 : Λ(θ0) < 1/α} for one look. */
export function confidenceInterval(diff: number, v: number, tau: number, alpha: number): Interval {
  const t2 = tau * tau;
  const half = Math.sqrt(((2 * v * (v + t2)) / t2) * (Math.log(1 / alpha) + 0.5 * Math.log((v + t2) / v)));
  return { lower: diff - half, upper: diff + half };
}

function defaultTau(meanA: number, v: number): number {
  const relative = DEFAULT_RELATIVE_TAU * Math.abs(meanA);
  // A zero baseline metric has no natural scale; the current standard error is the next best one.
  return relative > 0 ? relative : Math.sqrt(v);
}

function intersect(prev: Interval | null, now: Interval): Interval {
  if (prev === null) return now;
  const lower = Math.max(prev.lower, now.lower);
  const upper = Math.min(prev.upper, now.upper);
  // Disjoint looks happen with probability at most α; keep the earlier sequence rather than an empty set.
  return lower <= upper ? { lower, upper } : prev;
}

function decide(pValue: number, cs: Interval, prev: SequentialTestState): SequentialDecision {
  if (prev.decision !== 'continue') return prev.decision;
  if (pValue > prev.alpha) return 'continue';
  const bHigher = cs.lower + cs.upper > 0;
  return bHigher === prev.lowerIsBetter ? 'a_better' : 'b_better';
}
