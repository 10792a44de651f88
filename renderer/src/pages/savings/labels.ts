/** Words for the savings report's codes, so the page reads as plain English. */
import type { OptimizerName } from '../../../../contracts/optimization.ts';
import type { BillingBasis, EstimateStatus, SequentialTestState } from '../../../../contracts/savings.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import { formatShare } from '../../format.ts';

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  exact_cache: 'Exact cache',
  semantic_cache: 'Semantic cache',
  compression: 'Prompt compression',
  routing: 'Model routing',
  prompt_caching: 'Provider prompt caching',
  service_tier: 'Service tier',
};

export const BASIS_LABELS: Record<BillingBasis, string> = {
  counterfactual: 'Per-request savings, confirmed by the control group',
  control_lower_bound: 'Control group lower bound',
  unproven: 'Not yet proven',
};

export const STATUS_BADGES: Record<EstimateStatus, { tone: BadgeTone; label: string }> = {
  ok: { tone: 'success', label: '95% interval' },
  low_power: { tone: 'warning', label: 'Low power' },
  insufficient: { tone: 'neutral', label: 'Not enough data' },
};

/**
 * The estimator's reasons are terse ("only 3 control units (need 10)"); say what they mean for the
 * reader, keeping the numbers.
 */
export function explainReason(reason: string | null): string | null {
  if (reason === null) return null;
  const units = /^only (\d+) control units \(need (\d+)\)$/.exec(reason);
  if (units) return `Not enough users in the control group yet: ${units[1]} of the ${units[2]} needed.`;
  const treated = /^only (\d+) treatment units \(need (\d+)\)$/.exec(reason);
  if (treated) return `Not enough optimized users yet: ${treated[1]} of the ${treated[2]} needed.`;
  const requests = /^only (\d+) control requests \(need (\d+)\)$/.exec(reason);
  if (requests) return `Not enough control-group requests yet: ${requests[1]} of the ${requests[2]} needed.`;
  if (reason.startsWith('no requests in the control or the treatment arm')) {
    return 'No requests yet from the control group or from optimized users, so there is nothing to compare.';
  }
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`;
}

export function decisionLabel(test: SequentialTestState): { tone: BadgeTone; label: string } {
  if (test.decision === 'continue') return { tone: 'neutral', label: 'Keep collecting' };
  const better = test.decision === 'a_better' ? 'A' : 'B';
  return { tone: 'success', label: `${better} is ${test.lowerIsBetter ? 'cheaper' : 'better'}` };
}

/** A p-value for people: tiny values as "<0.001" rather than an exponent. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p < 0.001) return '<0.001';
  return p >= 1 ? '1' : p.toFixed(3);
}

/** A saving rate that may be negative (a loss) or missing. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return rate < 0 ? `−${formatShare(-rate)}` : formatShare(rate);
}
