import type { Finding, Roi, RoiAssumptions } from '../../contracts/waste-report.ts';
import { applyRate, DAYS_PER_MONTH, monthly } from './finding.ts';

/** Apex's value-based fee: 20% of realized savings. */
export const APEX_FEE_SHARE = 0.2;

export const DEFAULT_ROI_ASSUMPTIONS: RoiAssumptions = {
  feeShare: APEX_FEE_SHARE,
  // A day of one engineer's time to point SDKs at Apex and turn the findings' fixes on.
  setupHours: 8,
  hourlyRateNanos: 150_000_000_000,
};

/**
 * Projects the findings' monthly savings. Findings on the same spend (one scope) are not added: two
 * fixes to one key's requests cannot each save the full amount, so only the largest counts.
 */
export function projectRoi(
  findings: readonly Finding[],
  spendNanos: number,
  spendDays: number,
  assumptions: RoiAssumptions = DEFAULT_ROI_ASSUMPTIONS,
): Roi {
  const best = new Map<string, number>();
  for (const f of findings) {
    if (!f.countsTowardRoi) continue;
    best.set(f.scope, Math.max(best.get(f.scope) ?? 0, f.monthlySavingNanos));
  }
  const savings = [...best.values()].reduce((s, v) => s + v, 0);
  const monthlySpend = monthly(spendNanos, spendDays);
  const fee = applyRate(savings, assumptions.feeShare);
  const net = savings - fee;
  const setup = Math.round(assumptions.setupHours * assumptions.hourlyRateNanos);
  return {
    assumptions,
    monthlySpendNanos: monthlySpend,
    projectedMonthlySavingsNanos: savings,
    savingsShare: monthlySpend > 0 ? Math.min(1, savings / monthlySpend) : 0,
    apexMonthlyFeeNanos: fee,
    netMonthlyBenefitNanos: net,
    netAnnualBenefitNanos: net * 12,
    setupCostNanos: setup,
    paybackDays: net > 0 ? Math.ceil((setup / net) * DAYS_PER_MONTH * 10) / 10 : null,
  };
}
