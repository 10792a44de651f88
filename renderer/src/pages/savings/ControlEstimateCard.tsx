import type { ControlEstimate } from '../../../../contracts/savings.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatCount, formatMoney } from '../../format.ts';
import { STATUS_BADGES, explainReason, formatRate } from './labels.ts';

function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** The headline figure: the estimate with its interval, a bare point estimate, or nothing yet. */
function estimateFigure(e: ControlEstimate): string {
  if (e.savingsNanos === null) return 'No estimate yet';
  const point = formatMoney(e.savingsNanos);
  if (e.status !== 'ok' || !e.savingsInterval) return `${point} (point estimate, no interval yet)`;
  const { lower, upper } = e.savingsInterval;
  return `${point} (${percent(e.confidence)} CI ${formatMoney(lower)} – ${formatMoney(upper)})`;
}

function agreement(e: ControlEstimate): string | null {
  const counterfactual = formatMoney(e.counterfactualSavingsNanos);
  if (e.counterfactualInside === true) {
    return `The proxy's per-request figure (${counterfactual}) lies inside this interval: the two measurements agree.`;
  }
  if (e.counterfactualInside === false) {
    return `The proxy's per-request figure (${counterfactual}) lies outside this interval, so it is not corroborated.`;
  }
  return null;
}

/**
 * The randomized proof: users held out of every optimizer show what requests cost without Apex, which
 * checks the proxy's own per-request accounting independently.
 */
export function ControlEstimateCard({ estimate }: { estimate: ControlEstimate }) {
  const badge = STATUS_BADGES[estimate.status];
  const reason = explainReason(estimate.reason);
  const agrees = agreement(estimate);
  return (
    <section
      className="card stack"
      style={{ gap: 10 }}
      aria-labelledby="control-heading"
      data-testid="control-estimate"
      data-status={estimate.status}
    >
      <div className="card-header">
        <h2 id="control-heading">Control-group estimate</h2>
        <Badge tone={badge.tone} testId="control-status">
          {badge.label}
        </Badge>
      </div>
      <p className="savings-figure num" data-testid="control-figure">
        {estimateFigure(estimate)}
      </p>
      {agrees ? (
        <p data-testid="control-agreement" data-inside={String(estimate.counterfactualInside)}>
          {agrees}
        </p>
      ) : null}
      {reason ? (
        <p className="muted" data-testid="control-reason">
          {reason}
        </p>
      ) : null}
      <dl className="savings-facts">
        <dt>Cost per request, control</dt>
        <dd className="num">{money(estimate.controlCostPerRequestNanos)}</dd>
        <dt>Cost per request, optimized</dt>
        <dd className="num">{money(estimate.treatmentCostPerRequestNanos)}</dd>
        <dt>Saving rate</dt>
        <dd className="num">
          {formatRate(estimate.savingRate)}
          {estimate.savingRateInterval
            ? ` (${formatRate(estimate.savingRateInterval.lower)} – ${formatRate(estimate.savingRateInterval.upper)})`
            : ''}
        </dd>
        <dt>Users, control / optimized</dt>
        <dd className="num">
          {formatCount(estimate.controlUnits)} / {formatCount(estimate.treatmentUnits)}
        </dd>
        <dt>Requests, control / optimized</dt>
        <dd className="num">
          {formatCount(estimate.controlRequests)} / {formatCount(estimate.treatmentRequests)}
        </dd>
      </dl>
    </section>
  );
}

function money(nanos: number | null): string {
  return nanos === null ? '—' : formatMoney(nanos);
}
