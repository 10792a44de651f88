/**
 * Words and small derived facts about a waste report that every place showing one must agree on:
 * the text, HTML and CSV renderers on the server and the dashboard in the renderer.
 */
import type { Finding, FindingKind, WasteReport } from '../contracts/waste-report.ts';
import { formatMoney } from './money-format.ts';

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

/** A kind newer than this code still shows, as its own id. */
export function kindLabel(kind: FindingKind): string {
  return KIND_LABELS[kind] ?? kind;
}

/** "$X over N days", the figure the monthly projection was scaled from. */
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
