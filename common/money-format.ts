/**
 * Money and count formatting for display, shared by the report renderers (server) and the dashboard
 * (renderer). Money stays integer nano-dollars until here and is rounded in BigInt, so a displayed
 * cent is never off by float error. Pure: no Node or DOM APIs, so both sides can import it.
 */

const NANOS_PER_USD = 1_000_000_000n;
const FRACTION_DIGITS = 9;
/** Under $1 an amount keeps this many significant digits, so $0.00042 does not read as $0.00. */
const SMALL_SIGNIFICANT_DIGITS = 4;

/** "$11,011.59" for $1 and up; "$0.1645" or "$0.000421" below, so small savings stay visible. */
export function formatMoney(nanos: number): string {
  const value = BigInt(Math.round(nanos));
  const abs = value < 0n ? -value : value;
  const decimals = abs >= NANOS_PER_USD || abs === 0n ? 2 : smallDecimals(abs);
  return `${value < 0n ? '-' : ''}$${fixed(abs, decimals, 2)}`;
}

/** Short form for chart axes and bar labels: "$950", "$12.3k", "$1.20M"; below $1 as formatMoney. */
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

/** Token counts in narrow columns: "9,500", "854M", "1.2B"; exact counts are in the JSON report. */
export function formatCountCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 10_000) return formatCount(n);
  const [unit, div] = abs < 1e6 ? ['k', 1e3] : abs < 1e9 ? ['M', 1e6] : ['B', 1e9];
  const scaled = n / div;
  return `${trimZeros(scaled.toFixed(Math.abs(scaled) < 100 ? 1 : 0))}${unit}`;
}

/** The part of a whole that one line is, guarding the empty-store zero. */
export function shareOf(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** Decimals that keep SMALL_SIGNIFICANT_DIGITS of an amount under $1 (at least 4, at most 9). */
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

/** "12.50" -> "12.5", "3.0" -> "3". */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
