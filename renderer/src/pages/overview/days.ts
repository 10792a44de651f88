import type { UsageDay } from '../../../../contracts/control-api.ts';
import type { SpendPoint } from '../../components/SpendChart.tsx';

const DAY_MS = 86_400_000;

function isoDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Every UTC day of the range, with zeros where nothing was proxied: the server lists only days with
 * requests, and a chart that skipped the quiet days would misstate the trend.
 */
export function fillDays(days: readonly UsageDay[], range: number, now = Date.now()): SpendPoint[] {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const first = Math.floor((now - range * DAY_MS) / DAY_MS);
  const last = Math.floor(now / DAY_MS);
  // The server counts from the range's first (partial) UTC day; show it only when it holds spend, so
  // the chart matches the totals without an always-empty leading bar.
  const start = byDay.has(isoDay(first)) ? first : first + 1;
  const points: SpendPoint[] = [];
  for (let n = start; n <= last; n++) {
    const day = isoDay(n);
    const found = byDay.get(day);
    points.push({ day, costNanos: found?.costNanos ?? 0, requests: found?.requests ?? 0 });
  }
  return points;
}
