/**
 * Report-specific wording around the shared money and count formats in common/money-format.ts.
 */
import { trimZeros } from '../../common/money-format.ts';

export {
  formatCount,
  formatCountCompact,
  formatMoney,
  formatMoneyCompact,
  shareOf,
} from '../../common/money-format.ts';

/** A 0..1 share as "12.3%"; tiny non-zero shares show as "<0.1%" rather than "0.0%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  if (share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** A rate such as the fee share: "20%", "12.5%" (no trailing ".0"). */
export function formatPercent(share: number): string {
  return `${trimZeros((share * 100).toFixed(1))}%`;
}

/** Payback in days, or a plain statement when there is no net benefit to pay anything back. */
export function formatPayback(days: number | null): string {
  if (days === null) return 'no payback (no net benefit)';
  if (days < 1) return 'under 1 day';
  const shown = Number.isInteger(days) ? String(days) : days.toFixed(1);
  return `${shown} ${days === 1 ? 'day' : 'days'}`;
}
