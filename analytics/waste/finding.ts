import { createHash } from 'node:crypto';
import type { EvidenceFilter, Finding } from '../../contracts/waste-report.ts';
import { nanosToUsd } from '../../pricing/decimal.ts';

/** A month is 30 days in every projection, so a reader can redo the arithmetic. */
export const DAYS_PER_MONTH = 30;

export interface FindingInput extends Pick<
  Finding,
  | 'kind'
  | 'title'
  | 'detail'
  | 'action'
  | 'provider'
  | 'savingNanos'
  | 'windowDays'
  | 'confidence'
  | 'scope'
  | 'metrics'
> {
  filter: EvidenceFilter;
  evidenceRows: number;
  evidenceCostNanos: number;
  /** Lowest stored row id behind the finding, so fetching sample rows starts there. */
  firstRowId: number;
  /** Spikes are anomalies to investigate, not a saving that recurs. */
  oneOff?: boolean;
}

export interface DraftFinding extends Finding {
  firstRowId: number;
}

export function makeFinding(input: FindingInput): DraftFinding {
  const oneOff = input.oneOff ?? false;
  return {
    id: `${input.kind}:${createHash('sha1').update(JSON.stringify(input.filter)).digest('hex').slice(0, 12)}`,
    kind: input.kind,
    title: input.title,
    detail: input.detail,
    action: input.action,
    provider: input.provider,
    savingNanos: input.savingNanos,
    monthlySavingNanos: oneOff ? 0 : monthly(input.savingNanos, input.windowDays),
    windowDays: input.windowDays,
    confidence: input.confidence,
    countsTowardRoi: !oneOff,
    scope: input.scope,
    metrics: input.metrics,
    evidence: {
      filter: input.filter,
      rows: input.evidenceRows,
      costNanos: input.evidenceCostNanos,
      sample: [],
    },
    firstRowId: input.firstRowId,
  };
}

export function monthly(nanos: number, days: number): number {
  return scaleNanos(nanos, DAYS_PER_MONTH, Math.max(1, days));
}

/** nanos x numerator / denominator in integers, rounded half up once (money never passes through a float). */
export function scaleNanos(nanos: number, numerator: number, denominator: number): number {
  if (denominator <= 0) return 0;
  const n = BigInt(Math.round(nanos)) * BigInt(Math.round(numerator));
  const d = BigInt(Math.round(denominator));
  return Number((n + d / 2n) / d);
}

/** nanos x a decimal rate given to at most 6 places (0.3, 0.5, 0.35). */
export function applyRate(nanos: number, rate: number): number {
  return scaleNanos(nanos, Math.round(rate * 1_000_000), 1_000_000);
}

/** Exact dollars with thousands separators and at least cents: "$11,011.5936", "$3.00". */
export function usd(nanos: number): string {
  const [whole = '0', fraction] = nanosToUsd(Math.round(nanos)).split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // Cents always show ($7,705.60, not $7,705.6); smaller digits only when the amount has them.
  return `${sign}$${digits}.${(fraction ?? '').padEnd(2, '0')}`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(2)}%`;
}
