import type { Roi } from '../../../../contracts/waste-report.ts';
import { formatMoney, formatPayback, formatShare } from '../../format.ts';

function Figure({ label, value, tone }: { label: string; value: string; tone?: 'positive' | 'strong' }) {
  return (
    <div className={`roi-figure${tone ? ` roi-figure--${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd className="num">{value}</dd>
    </div>
  );
}

/** The business case in one block: what Apex saves, what it costs, what is left over. */
export function RoiBlock({ roi }: { roi: Roi }) {
  const { assumptions } = roi;
  return (
    <section className="card roi" aria-labelledby="roi-heading" data-testid="roi-block">
      <div className="card-header">
        <h2 id="roi-heading">Return on Apex</h2>
        <p>Recurring findings only, largest saving per scope</p>
      </div>
      <dl className="roi-grid">
        <Figure label="Monthly spend" value={formatMoney(roi.monthlySpendNanos)} />
        <Figure
          label="Projected monthly savings"
          value={formatMoney(roi.projectedMonthlySavingsNanos)}
          tone="strong"
        />
        <Figure label="Share of spend saved" value={formatShare(roi.savingsShare)} />
        <Figure label="Apex fee per month" value={formatMoney(roi.apexMonthlyFeeNanos)} />
        <Figure
          label="Net benefit per month"
          value={formatMoney(roi.netMonthlyBenefitNanos)}
          tone="positive"
        />
        <Figure label="Net benefit per year" value={formatMoney(roi.netAnnualBenefitNanos)} tone="positive" />
        <Figure label="Setup cost" value={formatMoney(roi.setupCostNanos)} />
        <Figure label="Payback" value={formatPayback(roi.paybackDays)} />
      </dl>
      <p className="subtle roi-assumptions">
        Assumes a fee of {formatShare(assumptions.feeShare)} of realized savings and {assumptions.setupHours}{' '}
        hours of setup at {formatMoney(assumptions.hourlyRateNanos)} an hour. Monthly figures scale the
        imported window to 30 days.
      </p>
    </section>
  );
}
