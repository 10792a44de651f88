import type { Confidence, Finding, FindingKind, WasteReport } from '../../../../contracts/waste-report.ts';
import type { BadgeTone } from '../../components/Badge.tsx';
import { formatMoney } from '../../format.ts';

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

/** A kind newer than this renderer still shows, as its id. */
export function kindLabel(kind: FindingKind): string {
  return KIND_LABELS[kind] ?? kind;
}

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

export function savingWindow(finding: Finding): string {
  const days = `${finding.windowDays} ${finding.windowDays === 1 ? 'day' : 'days'}`;
  return `${formatMoney(finding.savingNanos)} over ${days}`;
}

/** Days that spike findings point at, highlighted in the daily chart. */
export function spikeDays(report: WasteReport): Set<string> {
  const days = new Set<string>();
  for (const f of report.findings) {
    if (f.kind === 'spend-spike' && f.evidence.filter.day) days.add(f.evidence.filter.day);
  }
  return days;
}

export function periodText(report: WasteReport): string {
  const p = report.period;
  if (!p) return 'no data imported';
  return `${p.start} to ${p.end} (${p.days} ${p.days === 1 ? 'day' : 'days'})`;
}
