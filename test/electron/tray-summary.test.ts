import { describe, expect, it } from 'vitest';
import { fetchTraySummary, formatNanos, trayLabels } from '../../electron/tray-summary.ts';

const SESSION = { apiBase: 'http://127.0.0.1:4100', token: 'session-token' };

describe('fetchTraySummary', () => {
  it("reads today's spend and the projected savings with the session token", async () => {
    const seen: Array<{ url: string; auth: string | undefined }> = [];
    const summary = await fetchTraySummary(SESSION, async (url, init) => {
      seen.push({ url, auth: init.headers.authorization });
      const body = url.includes('/api/report')
        ? { roi: { projectedMonthlySavingsNanos: 812_340_000_000 } }
        : { totals: { requests: 3, errors: 0, costNanos: 1_234_567_890 } };
      return new Response(JSON.stringify(body), { status: 200 });
    });
    expect(summary).toEqual({
      spentTodayNanos: 1_234_567_890,
      projectedMonthlySavingsNanos: 812_340_000_000,
    });
    expect(seen.map((s) => s.url).sort()).toEqual([
      'http://127.0.0.1:4100/api/report',
      'http://127.0.0.1:4100/api/usage/overview?days=1',
    ]);
    expect(seen.every((s) => s.auth === 'Bearer session-token')).toBe(true);
  });

  it('shows unknowns instead of failing when the server errs or is unreachable', async () => {
    const unauthorized = await fetchTraySummary(SESSION, async () => new Response('{}', { status: 401 }));
    expect(unauthorized).toEqual({ spentTodayNanos: null, projectedMonthlySavingsNanos: null });
    const down = await fetchTraySummary(SESSION, async () => {
      throw new TypeError('fetch failed');
    });
    expect(trayLabels(down).spent).toBe('Spent today: —');
  });
});

describe('tray labels', () => {
  it('formats nano-dollars as dollars and cents', () => {
    expect(formatNanos(0)).toBe('$0.00');
    expect(formatNanos(1_234_567_890)).toBe('$1.23');
    expect(formatNanos(1_234_567_000_000)).toBe('$1,234.57');
    expect(formatNanos(3_000_000)).toBe('<$0.01');
    expect(formatNanos(null)).toBe('—');
  });

  it('puts spend and savings in the tooltip and menu', () => {
    const labels = trayLabels({
      spentTodayNanos: 2_500_000_000,
      projectedMonthlySavingsNanos: 40_000_000_000,
    });
    expect(labels).toEqual({
      tooltip: 'Netra Apex\nSpent today: $2.50\nProjected savings: $40.00/month',
      spent: 'Spent today: $2.50',
      savings: 'Projected savings: $40.00/month',
    });
  });
});
