/**
 * The proof-of-value savings report: what Apex saved, how that is proved against a persistent
 * control group, and what Apex may bill for it. Served as JSON by the control API; every money field
 * is integer nano-dollars (1e-9 USD). Per-request averages and rates are floats.
 *
 * ## Billing rule
 * Two independent measurements of the same saving are compared:
 * 1. the counterfactual sum: Σ(baseline − actual) over treatment requests, where the proxy prices each
 *    request as it would have run without any optimizer (requested model, uncached, standard tier);
 * 2. the control estimate: treatment requests × (control cost per request − treatment cost per
 *    request), from the units held out of every optimizer, with a 95% confidence interval.
 * When the counterfactual sum lies inside the control estimate's interval the two agree and the
 * counterfactual sum (the exact, per-request figure) is billable. Otherwise the counterfactual
 * pricing is not corroborated and only the interval's lower bound is billable. Billable savings are
 * never negative, and nothing is billable while the control group is too small for an interval.
 * Apex's fee is ⌊feeShare × billable⌋ nanos.
 */
import type { OptimizerName } from './optimization.ts';

/** A two-sided interval; in money fields, lower is rounded down and upper up to whole nanos. */
export interface Interval {
  lower: number;
  upper: number;
}

/**
 * `ok`: enough data for a confidence interval. `low_power`: a point estimate only (too few control
 * units or requests for an honest interval). `insufficient`: no estimate (an arm is empty).
 */
export type EstimateStatus = 'ok' | 'low_power' | 'insufficient';

/** The control-group (randomized, unit-clustered) estimate of the treatment group's realized savings. */
export interface ControlEstimate {
  status: EstimateStatus;
  /** Why the status is not `ok`, for people; null when it is. */
  reason: string | null;
  /** Confidence level of the intervals (0.95). */
  confidence: number;
  controlUnits: number;
  treatmentUnits: number;
  controlRequests: number;
  treatmentRequests: number;
  /** Σ control cost / Σ control requests (ratio estimator over units); null when insufficient. */
  controlCostPerRequestNanos: number | null;
  /** Σ treatment cost / Σ treatment requests; null when insufficient. */
  treatmentCostPerRequestNanos: number | null;
  /** 1 − treatment / control cost per request; null when insufficient. */
  savingRate: number | null;
  /** Confidence interval of the saving rate; null unless status is `ok`. */
  savingRateInterval: Interval | null;
  /** Realized savings: treatmentRequests × (control − treatment cost per request), rounded. */
  savingsNanos: number | null;
  /** Confidence interval of savingsNanos; null unless status is `ok`. */
  savingsInterval: Interval | null;
  /** Cluster-robust standard error of savingsNanos; null unless status is `ok`. */
  standardErrorNanos: number | null;
  /** Welch-Satterthwaite degrees of freedom of the t interval; null unless status is `ok`. */
  degreesOfFreedom: number | null;
  /** Σ(baseline − actual) over the treatment units: the proxy's own per-request accounting. */
  counterfactualSavingsNanos: number;
  /** Whether counterfactualSavingsNanos lies inside savingsInterval; null without an interval. */
  counterfactualInside: boolean | null;
}

/** One saving total, split by the optimizer that earned it. */
export interface SavingsTotals {
  requests: number;
  /** What the requests would have cost without any optimizer. */
  baselineCostNanos: number;
  /** What they cost. */
  actualCostNanos: number;
  /** baselineCostNanos − actualCostNanos. */
  savingsNanos: number;
  /** Savings attributed to each optimizer; every optimizer is present (0 when it saved nothing). */
  byOptimizer: Record<OptimizerName, number>;
  /** savingsNanos − Σ byOptimizer: saving (or loss) no optimizer claimed. */
  unattributedNanos: number;
}

/** Treatment savings of one UTC day. */
export interface DaySavings extends SavingsTotals {
  /** YYYY-MM-DD (UTC). */
  day: string;
}

/** Requests in the period by proof-of-value arm. */
export interface RequestsByArm {
  treatment: number;
  control: number;
  /** Requests in any A/B experiment arm (`exp:<name>:a|b`). */
  experiment: number;
  /** Requests with no arm (no control group configured when they ran). */
  unassigned: number;
}

/** Which figure the billable savings come from; see the billing rule above. */
export type BillingBasis = 'counterfactual' | 'control_lower_bound' | 'unproven';

export interface Billing {
  basis: BillingBasis;
  /** Savings Apex may bill for, never negative. */
  billableSavingsNanos: number;
  /** Apex's share of billable savings (0.2 = 20%). */
  feeShare: number;
  /** ⌊feeShare × billableSavingsNanos⌋. */
  feeNanos: number;
  /** One sentence for the finance team saying why this basis was used. */
  explanation: string;
}

/** Which A/B configuration wins, or keep collecting. */
export type SequentialDecision = 'a_better' | 'b_better' | 'continue';

/**
 * An always-valid (mSPRT) A/B test of a per-unit metric, safe to check after every batch of data.
 * Differences are b − a in the metric's units.
 */
export interface SequentialTestState {
  /** Looks taken so far, including ones skipped for too little data. */
  looks: number;
  /** Significance level; the decision is made when pValue ≤ alpha. */
  alpha: number;
  /** Standard deviation of the normal mixing distribution over the difference; null until fixed. */
  tau: number | null;
  /** Whether lower metric values are better (true for cost per request). */
  lowerIsBetter: boolean;
  unitsA: number;
  unitsB: number;
  /** Mean metric per unit in each arm at the latest look; null without data. */
  meanA: number | null;
  meanB: number | null;
  /** meanB − meanA at the latest look. */
  difference: number | null;
  /** Always-valid p-value for "no difference": the running minimum over looks. */
  pValue: number;
  /** Always-valid (1 − alpha) confidence sequence for b − a: the running intersection. */
  confidenceSequence: Interval | null;
  decision: SequentialDecision;
}

/** An A/B experiment seen in the period, tested on cost per request per unit. */
export interface ExperimentReport {
  name: string;
  requestsA: number;
  requestsB: number;
  /** The test after one look per UTC day of the period. */
  test: SequentialTestState;
}

/** A configuration's operating point on one route. */
export interface ParetoPoint {
  /** Configuration id; from the store it is `<arm>|<model served>`. */
  id: string;
  route: string;
  costNanosPerRequest: number;
  latencyMsP50: number;
  /** In [0, 1], higher is better. From the store: the share of requests that succeeded. */
  quality: number;
}

/** A configuration no other configuration on its route beats on cost, latency and quality at once. */
export interface FrontierPoint extends ParetoPoint {
  /** Ids of the route's configurations this one dominates, sorted. */
  dominates: string[];
}

export interface RouteFrontier {
  route: string;
  /** Non-dominated configurations by ascending cost (then latency, quality descending, id). */
  frontier: FrontierPoint[];
  /** Ids of the dominated configurations, sorted. */
  dominated: string[];
}

export interface SavingsReport {
  /** The half-open window [fromMs, toMs) the report covers. */
  period: { fromMs: number; toMs: number };
  requestsByArm: RequestsByArm;
  /** The proxy's counterfactual accounting over treatment requests. */
  treatment: SavingsTotals;
  /** The same, per UTC day, for days with treatment requests. */
  byDay: DaySavings[];
  controlEstimate: ControlEstimate;
  billing: Billing;
  experiments: ExperimentReport[];
  pareto: RouteFrontier[];
}
