import { existsSync } from 'node:fs';
import { openStore } from '../analytics/store/db.ts';
import { summarizeUsage, type UsageSummaryRow } from '../analytics/store/usage-summary.ts';
import { formatCount, formatUsd } from './format.ts';

const DURATION = /^(\d+)([mhd])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "24h" → milliseconds; a clear error for anything else. */
export function parseSince(value: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new Error(`--since takes a duration such as 30m, 24h or 7d, not "${value}"`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** The table `apex usage` prints: spend by provider and model, most expensive first. */
export function usageReport(dbFile: string, sinceMs?: number): string {
  if (!existsSync(dbFile))
    return `No usage recorded yet (${dbFile} does not exist). Run \`apex serve\` first.`;
  const db = openStore(dbFile, { readonly: true });
  try {
    const range = sinceMs === undefined ? {} : { sinceMs: Date.now() - sinceMs };
    return renderTable(summarizeUsage(db, range));
  } finally {
    db.close();
  }
}

function renderTable(rows: UsageSummaryRow[]): string {
  if (rows.length === 0) return 'No requests in this period.';
  const header = [
    'provider',
    'model',
    'requests',
    'errors',
    'input tok',
    'cached',
    'output tok',
    'cost',
    'p50',
  ];
  const body = rows.map((row) => [
    row.provider,
    row.model,
    formatCount(row.requests),
    formatCount(row.errors),
    formatCount(row.inputTokens),
    formatCount(row.cachedInputTokens),
    formatCount(row.outputTokens),
    formatUsd(row.costNanos),
    `${Math.round(row.p50LatencyUs / 1000)} ms`,
  ]);
  const total = rows.reduce((sum, row) => sum + row.costNanos, 0);
  const requests = rows.reduce((sum, row) => sum + row.requests, 0);
  body.push(['total', '', formatCount(requests), '', '', '', '', formatUsd(total), '']);
  const widths = header.map((_, col) => Math.max(header[col]!.length, ...body.map((r) => r[col]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, col) => (col < 2 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
