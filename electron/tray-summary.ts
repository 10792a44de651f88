// What the tray shows: today's proxied spend and the projected monthly savings, read from the control
// API like any other client. Pure apart from the injected fetch, so it is tested against a fake.
import type { OverviewResponse } from '../contracts/control-api.ts';
import type { WasteReport } from '../contracts/waste-report.ts';

export interface TraySummary {
  /** Null when the server could not say (not started, restarting, an error). */
  spentTodayNanos: number | null;
  projectedMonthlySavingsNanos: number | null;
}

export interface ApiSession {
  apiBase: string;
  token: string;
}

type Fetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<Response>;

const TIMEOUT_MS = 5_000;

export async function fetchTraySummary(session: ApiSession, fetchFn: Fetch = fetch): Promise<TraySummary> {
  const get = async <T>(path: string): Promise<T | null> => {
    try {
      const res = await fetchFn(`${session.apiBase}${path}`, {
        headers: { authorization: `Bearer ${session.token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return res.ok ? ((await res.json()) as T) : null;
    } catch {
      return null;
    }
  };
  const [overview, report] = await Promise.all([
    get<OverviewResponse>('/api/usage/overview?days=1'),
    get<WasteReport>('/api/report'),
  ]);
  return {
    spentTodayNanos: finite(overview?.totals?.costNanos),
    projectedMonthlySavingsNanos: finite(report?.roi?.projectedMonthlySavingsNanos),
  };
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Integer nano-dollars as dollars and cents; a non-zero amount under a cent says so instead of "$0.00". */
export function formatNanos(nanos: number | null): string {
  if (nanos === null) return '—';
  const dollars = nanos / 1e9;
  if (dollars > 0 && dollars < 0.01) return '<$0.01';
  return usd.format(dollars);
}

export interface TrayLabels {
  tooltip: string;
  spent: string;
  savings: string;
}

export function trayLabels(summary: TraySummary): TrayLabels {
  const spent = `Spent today: ${formatNanos(summary.spentTodayNanos)}`;
  const savings = `Projected savings: ${formatNanos(summary.projectedMonthlySavingsNanos)}/month`;
  return { tooltip: `Netra Apex\n${spent}\n${savings}`, spent, savings };
}
