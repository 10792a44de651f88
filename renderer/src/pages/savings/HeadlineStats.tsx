import type { Billing, ControlEstimate, SavingsReport } from '../../../../contracts/savings.ts';
import { Stat } from '../../components/Stat.tsx';
import { formatMoney, formatShare, plural, shareOf } from '../../format.ts';
import { BASIS_LABELS, explainReason } from './labels.ts';

/** The billing basis in plain words, with the figures that decided it. */
export function billingSentence(billing: Billing, estimate: ControlEstimate): string {
  const counterfactual = formatMoney(estimate.counterfactualSavingsNanos);
  const interval = estimate.savingsInterval;
  switch (billing.basis) {
    case 'counterfactual':
      return (
        `Billed on the per-request savings (${counterfactual}): the control group's independent ` +
        'estimate agrees with them, so the exact figure stands.'
      );
    case 'control_lower_bound':
      return (
        `The per-request savings (${counterfactual}) fall outside the control group's range` +
        (interval ? ` (${formatMoney(interval.lower)} – ${formatMoney(interval.upper)})` : '') +
        ', so only the bottom of that range is billed: the most conservative figure the data supports.'
      );
    case 'unproven':
      return (
        'Nothing is billed until the control group can confirm the savings. ' +
        (explainReason(estimate.reason) ?? '')
      ).trim();
  }
}

export function HeadlineStats({ report, days }: { report: SavingsReport; days: number }) {
  const { treatment, billing, controlEstimate } = report;
  const rate = shareOf(treatment.savingsNanos, treatment.baselineCostNanos);
  return (
    <section aria-labelledby="realized-heading" className="stack" style={{ gap: 12 }}>
      <div className="section-title">
        <h2 id="realized-heading">Realized savings</h2>
        <p>last {days} days, optimized requests only</p>
      </div>
      <div className="stat-grid" data-testid="savings-stats">
        <Stat
          label="Realized savings"
          value={formatMoney(treatment.savingsNanos)}
          sub={`across ${plural(treatment.requests, 'optimized request')}`}
          tone="highlight"
          testId="stat-realized-savings"
        />
        <Stat
          label="Saving rate"
          value={treatment.savingsNanos < 0 ? `−${formatShare(-rate)}` : formatShare(rate)}
          sub={`of ${formatMoney(treatment.baselineCostNanos)} without Apex`}
          testId="stat-saving-rate"
        />
        <Stat
          label="Billable savings"
          value={formatMoney(billing.billableSavingsNanos)}
          sub={BASIS_LABELS[billing.basis]}
          tone={billing.billableSavingsNanos > 0 ? 'positive' : 'default'}
          testId="stat-billable-savings"
        />
        <Stat
          label="Apex fee"
          value={formatMoney(billing.feeNanos)}
          sub={`${formatShare(billing.feeShare)} of billable savings`}
          testId="stat-apex-fee"
        />
      </div>
      <p className="callout" data-testid="billing-explanation" data-basis={billing.basis}>
        {billingSentence(billing, controlEstimate)}
      </p>
    </section>
  );
}
