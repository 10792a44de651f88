/**
 * Display formatting. Money stays integer nano-dollars until here and is rounded in BigInt, so a
 * displayed cent is never off by float error; the rules match the server's report renderers.
 */

const NANOS_PER_USD = 1_000_000_000n;
const FRACTION_DIGITS = 9;
/** Under $1 an amount keeps this many significant digits, so $0.00042 does not read as $0.00. */
const SMALL_SIGNIFICANT_DIGITS = 4;

/** "$1,234.56" for $1 and up; "$0.1645" or "$0.001245" below. */
export function formatMoney(nanos: number): string {
  const value = BigInt(Math.round(nanos));
  const abs = value < 0n ? -value : value;
  const decimals = abs >= NANOS_PER_USD || abs === 0n ? 2 : smallDecimals(abs);
  return `${value < 0n ? '-' : ''}$${fixed(abs, decimals, 2)}`;
}

/** Chart axes and tight labels: "$950", "$12.3k", "$1.2M"; below $1 as formatMoney. */
export function formatMoneyCompact(nanos: number): string {
  const usd = Math.abs(nanos) / 1e9;
  const sign = nanos < 0 ? '-' : '';
  if (usd < 1) return formatMoney(nanos);
  if (usd < 1_000) return `${sign}$${trimZeros(usd.toFixed(usd < 10 ? 2 : usd < 100 ? 1 : 0))}`;
  if (usd < 1_000_000) return `${sign}$${trimZeros((usd / 1_000).toFixed(usd < 10_000 ? 2 : 1))}k`;
  if (usd < 1_000_000_000) return `${sign}$${trimZeros((usd / 1_000_000).toFixed(2))}M`;
  return `${sign}$${trimZeros((usd / 1_000_000_000).toFixed(2))}B`;
}

/** "12,345" */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "9,500", "854k", "1.2M" for narrow columns. */
export function formatCountCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 10_000) return formatCount(n);
  const [unit, div] = abs < 1e6 ? ['k', 1e3] : abs < 1e9 ? ['M', 1e6] : ['B', 1e9];
  const scaled = n / (div as number);
  return `${trimZeros(scaled.toFixed(Math.abs(scaled) < 100 ? 1 : 0))}${unit}`;
}

/** A 0..1 share as "12.3%"; tiny non-zero shares show as "<0.1%" rather than "0.0%". */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  if (share < 0.001) return '<0.1%';
  return `${trimZeros((share * 100).toFixed(1))}%`;
}

export function shareOf(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
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

function smallDecimals(abs: bigint): number {
  const leadingZeros = FRACTION_DIGITS - abs.toString().length;
  return Math.min(FRACTION_DIGITS, Math.max(4, leadingZeros + SMALL_SIGNIFICANT_DIGITS));
}

/** abs nanos rounded half-up to `decimals`, grouped by thousands, trailing zeros trimmed to `keep`. */
function fixed(abs: bigint, decimals: number, keep: number): string {
  const unit = 10n ** BigInt(FRACTION_DIGITS - decimals);
  const rounded = (abs + unit / 2n) / unit;
  const scale = 10n ** BigInt(decimals);
  const whole = (rounded / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let fraction = (rounded % scale).toString().padStart(decimals, '0');
  while (fraction.length > keep && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return fraction ? `${whole}.${fraction}` : whole;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
