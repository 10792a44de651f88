import type Database from 'better-sqlite3';
import { makeFinding, usd, type DraftFinding } from './finding.ts';
import { dayString } from './groups.ts';

/**
 * A day is a spike when it rises above the provider's median day by more than half the median and by
 * more than three robust standard deviations (1.4826 x the median absolute deviation)...
 */
export const SPIKE_MIN_RISE = 0.5;
const ROBUST_SIGMAS = 3;
const MAD_TO_SIGMA = 1.4826;
/** ...and the excess is worth a look. */
export const SPIKE_MIN_EXCESS_NANOS = 10_000_000_000;
const MIN_DAYS = 5;

interface ProviderDay {
  provider: string;
  day: number;
  costNanos: number;
  rows: number;
  firstRowId: number;
}

// Same basis rule as the totals: bills where they exist, usage estimates elsewhere.
const DAILY = `
SELECT provider, day, sum(billed_nanos) AS costNanos, sum(rows) AS rows, min(first_row_id) AS firstRowId
FROM cost_daily d
WHERE d.kind = 'cost'
   OR NOT EXISTS (SELECT 1 FROM cost_daily c WHERE c.kind = 'cost' AND c.provider = d.provider AND c.day = d.day)
GROUP BY provider, day ORDER BY provider, day`;

export function spikeFindings(db: Database.Database): DraftFinding[] {
  const byProvider = new Map<string, ProviderDay[]>();
  for (const row of db.prepare(DAILY).all() as ProviderDay[]) {
    const days = byProvider.get(row.provider) ?? [];
    days.push(row);
    byProvider.set(row.provider, days);
  }
  return [...byProvider.values()].flatMap(spikesOf);
}

function spikesOf(days: ProviderDay[]): DraftFinding[] {
  if (days.length < MIN_DAYS) return [];
  const costs = days.map((d) => d.costNanos);
  const typical = median(costs);
  const spread = MAD_TO_SIGMA * median(costs.map((c) => Math.abs(c - typical)));
  const threshold = Math.max(SPIKE_MIN_RISE * typical, ROBUST_SIGMAS * spread, SPIKE_MIN_EXCESS_NANOS);
  return days.filter((d) => d.costNanos - typical > threshold).map((d) => spike(d, typical, days.length));
}

function spike(d: ProviderDay, typical: number, dayCount: number): DraftFinding {
  const excess = d.costNanos - typical;
  const day = dayString(d.day);
  return makeFinding({
    kind: 'spend-spike',
    title: `${d.provider} spend on ${day} was ${(d.costNanos / typical).toFixed(1)}x a typical day`,
    detail:
      `${day} cost ${usd(d.costNanos)} against a median day of ${usd(typical)} over ${dayCount} days: ` +
      `${usd(excess)} above normal. A one-off to explain, not a recurring saving.`,
    action:
      'Open the evidence rows for that day to find the key, model or resource behind it; set a budget alert.',
    provider: d.provider,
    savingNanos: excess,
    windowDays: 1,
    confidence: 'low',
    scope: `spike:${d.provider}:${day}`,
    metrics: { dayCostNanos: d.costNanos, medianDayCostNanos: typical, ratio: d.costNanos / typical },
    filter: { provider: d.provider, day },
    evidenceRows: d.rows,
    evidenceCostNanos: d.costNanos,
    firstRowId: d.firstRowId,
    oneOff: true,
  });
}

/** Median of integers, rounded to an integer (the mean of the middle two for even counts). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}
