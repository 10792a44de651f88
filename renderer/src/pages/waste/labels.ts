import type { Confidence, Finding } from '../../../../contracts/waste-report.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import { formatMoney } from '../../format.ts';

export { kindLabel, periodText, savingWindow, spikeDays } from '../../../../common/waste-report-text.ts';

export const CONFIDENCE_TONE: Record<Confidence, BadgeTone> = {
  high: 'success',
  medium: 'accent',
  low: 'neutral',
};

/** Spikes are one-off: "$0.00 / month" would undersell them, so they state the excess instead. */
export function savingHeadline(finding: Finding): { amount: string; unit: string } {
  if (!finding.countsTowardRoi) return { amount: formatMoney(finding.savingNanos), unit: 'one-off' };
  return { amount: formatMoney(finding.monthlySavingNanos), unit: '/ month' };
}
