/**
 * GET /api/savings support: the proof-of-value report over a trailing window, cached briefly.
 * Building the report reads every event in the window (one to three seconds at a million events),
 * and the dashboard asks again every 30 s, so each (store, days) pair is built at most once per TTL.
 */
import { savingsReportInWorker } from '../../analytics/proof/report-in-worker.ts';
import type { SavingsReport } from '../../contracts/savings.ts';

export const SAVINGS_CACHE_TTL_MS = 30_000;
const DAY_MS = 86_400_000;
// days is 1..366, so the key space is small, but a client walking every value must not pin hundreds
// of reports in memory.
const MAX_ENTRIES = 16;

export interface SavingsCache {
  /**
   * The cached report for key while it is younger than the TTL; otherwise build() and keep it.
   * The promise is kept, so viewers asking while a report is being built share that build; a
   * failed build is forgotten so the next request tries again.
   */
  get(key: string, build: () => Promise<SavingsReport>): Promise<SavingsReport>;
}

export function createSavingsCache(
  ttlMs = SAVINGS_CACHE_TTL_MS,
  now: () => number = Date.now,
  maxEntries = MAX_ENTRIES,
): SavingsCache {
  const entries = new Map<string, { builtAt: number; report: Promise<SavingsReport> }>();
  return {
    get(key, build) {
      const at = now();
      const hit = entries.get(key);
      if (hit && at - hit.builtAt < ttlMs) return hit.report;
      for (const [k, e] of entries) if (at - e.builtAt >= ttlMs) entries.delete(k);
      const report = build();
      entries.delete(key);
      const entry = { builtAt: at, report };
      entries.set(key, entry);
      report.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      // Map iteration is insertion order, so the first key is the oldest build.
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return report;
    },
  };
}

/** The report over the half-open window [nowMs − days, nowMs), built off the proxy's thread. */
export function trailingSavingsReport(
  dbFile: string,
  days: number,
  nowMs = Date.now(),
): Promise<SavingsReport> {
  return savingsReportInWorker({ dbFile, fromMs: nowMs - days * DAY_MS, toMs: nowMs });
}
