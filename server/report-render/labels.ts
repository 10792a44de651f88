/** Words and small derived facts that the text, HTML and CSV renderers must agree on. */
import type { EvidenceRow, Finding, SpendLine, WasteReport } from '../../contracts/waste-report.ts';
import { formatMoney } from './money.ts';

export { kindLabel, periodText, savingWindow, spikeDays } from '../../common/waste-report-text.ts';

/** "path/to/file.csv:42", how a reader opens the row in an editor. */
export function evidenceRef(row: EvidenceRow): string {
  return `${row.file}:${row.line}`;
}

/**
 * One-off findings (spikes) have no monthly saving; saying "$0.00 / month" would undersell them, so
 * they state the excess instead.
 */
export function savingHeadline(finding: Finding): string {
  if (!finding.countsTowardRoi) return `${formatMoney(finding.savingNanos)} one-off`;
  return `${formatMoney(finding.monthlySavingNanos)} / month`;
}

/** The report's lines most expensive first; the report may already be sorted but need not be. */
export function topLines(lines: readonly SpendLine[], limit: number): SpendLine[] {
  return [...lines].sort((a, b) => b.spendNanos - a.spendNanos).slice(0, limit);
}

/** An empty key is spend the source could not attribute; say so instead of printing a blank. */
export function lineKey(line: SpendLine): string {
  return line.key === '' ? '(unattributed)' : line.key;
}

export function sourcesRowTotals(report: WasteReport): { imported: number; skipped: number } {
  let imported = 0;
  let skipped = 0;
  for (const s of report.sources) {
    imported += s.rowsImported;
    skipped += s.rowsSkipped;
  }
  return { imported, skipped };
}

/** Amounts are shown with "$"; a bill in another currency (or a mix) must not pass silently as USD. */
export function currencyWarning(report: WasteReport): string | null {
  if (report.currency === 'USD') return null;
  return `Imported amounts are in ${report.currency}, not converted; "$" figures are in that currency.`;
}
