/**
 * The optimizer pipeline's vocabulary, shared by the proxy (which decides), the store (which keeps
 * the decisions and savings beside each usage event) and the reports (which prove them).
 */

/** Every optimizer, in the order the proxy applies them. */
export const OPTIMIZERS = [
  'exact_cache',
  'semantic_cache',
  'compression',
  'routing',
  'prompt_caching',
  'service_tier',
] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Integer nano-dollars saved by each optimizer on one request; a missing optimizer saved nothing. */
export type OptimizerSavings = Partial<Record<OptimizerName, number>>;

/** What one optimizer did to one request, as shown in `x-apex-*` headers and the request log. */
export interface OptimizerDecision {
  optimizer: OptimizerName;
  /** "hit", "miss", "applied", "skipped", "bypassed" (control group), ... */
  outcome: string;
  /** Short, human-readable reason or effect ("similarity 0.94", "-31% prompt tokens"). */
  detail?: string;
}

/**
 * The proof-of-value arm a request was assigned to. `control` bypasses every optimizer;
 * `exp:<name>:a|b` are the two configurations of an A/B experiment.
 */
export type Arm = 'treatment' | 'control' | `exp:${string}:${'a' | 'b'}`;
