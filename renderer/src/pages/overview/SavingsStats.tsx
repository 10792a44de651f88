import type { WasteReport } from '../../../../contracts/waste-report.ts';
import { Stat } from '../../components/Stat.tsx';
import { formatMoney, formatPayback, formatShare } from '../../format.ts';

/** What the imported bills say Apex would save, net of its own fee: the reason to pay for it. */
export function SavingsStats({ report }: { report: WasteReport }) {
  const { roi } = report;
  return (
    <section aria-labelledby="savings-heading" className="stack" style={{ gap: 12 }}>
      <div className="section-title">
        <h2 id="savings-heading">Savings from imported bills</h2>
        <p>
          <a href="#/waste">See the waste report</a>
        </p>
      </div>
      <div className="stat-grid" data-testid="savings-stats">
        <Stat
          label="Projected monthly savings"
          value={formatMoney(roi.projectedMonthlySavingsNanos)}
          sub={`${formatShare(roi.savingsShare)} of ${formatMoney(roi.monthlySpendNanos)} / month`}
          tone="highlight"
          testId="stat-projected-savings"
        />
        <Stat
          label="Apex fee"
          value={formatMoney(roi.apexMonthlyFeeNanos)}
          sub={`${formatShare(roi.assumptions.feeShare)} of savings, per month`}
          testId="stat-apex-fee"
        />
        <Stat
          label="Net benefit"
          value={formatMoney(roi.netMonthlyBenefitNanos)}
          sub={`${formatMoney(roi.netAnnualBenefitNanos)} per year`}
          tone={roi.netMonthlyBenefitNanos > 0 ? 'positive' : 'default'}
          testId="stat-net-benefit"
        />
        <Stat
          label="Payback"
          value={formatPayback(roi.paybackDays)}
          sub={`on ${roi.assumptions.setupHours} h of setup`}
          testId="stat-payback"
        />
      </div>
    </section>
  );
}

export function ImportInvite() {
  return (
    <div className="callout row" data-testid="import-invite" style={{ justifyContent: 'space-between' }}>
      <span>
        Import a cloud or AI provider bill to see projected savings, the Apex fee and your net benefit.
      </span>
      <a className="btn btn--sm" href="#/waste">
        Import a bill
      </a>
    </div>
  );
}
