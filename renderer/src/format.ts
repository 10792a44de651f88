/**
 * Display formatting for the dashboard: the shared money and count formats (the same rules as the
 * report renderers), plus times, sizes and wording only the UI needs.
 */
import { formatCount, trimZeros } from '../../common/money-format.ts';

export {
  formatCount,
  formatCountCompact,
  formatMoney,
  formatMoneyCompact,
  shareOf,
} from '../../common/money-format.ts';

/** A 0..1 share as "12.3%"; tiny non-zero shares show as "<0.1%" rather than "0.0%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  if (share < 0.001) return '<0.1%';
  return `${trimZeros((share * 100).toFixed(1))}%`;
}

/** Payback in days, or a plain statement when there is no net benefit to pay anything back. */
export function formatPayback(days: number | null): string {
  if (days === null) return 'No payback';
  if (days < 1) return 'Under 1 day';
  const shown = Number.isInteger(days) ? String(days) : days.toFixed(1);
  return `${shown} ${days === 1 ? 'day' : 'days'}`;
}

/** Microseconds as "843 ms", "2.38 s" or "12.4 s". */
export function formatDurationUs(us: number | null): string {
  if (us === null) return '—';
  const ms = us / 1000;
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Local wall-clock time with seconds, for live rows. */
export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-US', { hour12: false });
}

/** Local date and time, e.g. "Nov 25, 2026, 00:18". */
export function formatDateTime(iso: string | number): string {
  return new Date(iso).toLocaleString('en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
    hour12: false,
  });
}

/** A UTC "YYYY-MM-DD" day as "Oct 9"; UTC so the label never shifts with the viewer's zone. */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** "12 KB", "3.4 MB" for upload sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trimZeros(value.toFixed(value < 10 ? 1 : 0))} ${units[unit]}`;
}

/** The last path segment, for server paths shown to a reader. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
