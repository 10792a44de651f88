/** Words and small derived facts that the text, HTML and CSV renderers must agree on. */
import type {
  EvidenceRow,
  Finding,
  FindingKind,
  SpendLine,
  WasteReport,
} from '../../contracts/waste-report.ts';
import { formatMoney } from './money.ts';

const KIND_LABELS: Record<FindingKind, string> = {
  'model-routing': 'Model routing',
  'prompt-caching': 'Prompt caching',
  'batch-api': 'Batch API',
  'duplicate-prompts': 'Duplicate prompts',
  'near-duplicate-prompts': 'Near-duplicate prompts',
  'oversized-prompts': 'Oversized prompts',
  'idle-gpu': 'Idle GPU',
  'underused-gpu': 'Underused GPU',
  'spot-gpu': 'Spot GPU',
  'gpu-commitment': 'GPU commitment',
  'spend-spike': 'Spend spike',
};

/** A kind this renderer predates still shows, as its own id. */
export function kindLabel(kind: FindingKind): string {
  return KIND_LABELS[kind] ?? kind;
}

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

/** "saves $X over N days", the figure the monthly projection was scaled from. */
export function savingWindow(finding: Finding): string {
  const days = `${finding.windowDays} ${finding.windowDays === 1 ? 'day' : 'days'}`;
  return `${formatMoney(finding.savingNanos)} over ${days}`;
}

/** Days that a spike finding points at, for highlighting in the daily chart. */
export function spikeDays(report: WasteReport): Set<string> {
  const days = new Set<string>();
  for (const f of report.findings) {
    if (f.kind === 'spend-spike' && f.evidence.filter.day) days.add(f.evidence.filter.day);
  }
  return days;
}

/** "2025-01-01 to 2025-01-31 (31 days)", or a plain word for an empty store. */
export function periodText(report: WasteReport): string {
  const p = report.period;
  if (!p) return 'no data imported';
  return `${p.start} to ${p.end} (${p.days} ${p.days === 1 ? 'day' : 'days'})`;
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
