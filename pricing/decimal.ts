/**
 * Exact decimal-to-integer conversion for prices. Money never passes through
 * float arithmetic: a price is read as its decimal digits and scaled in BigInt.
 */

/** A USD amount written as a decimal string ("2.50", "0.0375", "1e-7") or a number. */
export type UsdAmount = string | number;

const NANOS_PER_USD_DIGITS = 9;
const PER_TOKEN_TO_PER_MILLION_DIGITS = 6;
// Beyond this the value is either absurd (too large) or rounds to zero anyway.
const MAX_EXPONENT = 400;
const DECIMAL = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

export class PriceFormatError extends Error {
  override name = 'PriceFormatError';
}

/** USD per 1M tokens -> integer nano-dollars per 1M tokens (half-up below one nano). */
export function usdPerMillionToNanos(value: UsdAmount): number {
  return toSafeNumber(value, scaledInteger(value, NANOS_PER_USD_DIGITS));
}

/** USD per token (LiteLLM's unit) -> integer nano-dollars per 1M tokens. */
export function usdPerTokenToNanosPerMillion(value: UsdAmount): number {
  return toSafeNumber(value, scaledInteger(value, NANOS_PER_USD_DIGITS + PER_TOKEN_TO_PER_MILLION_DIGITS));
}

/** Integer nano-dollars -> exact USD decimal string ("0.005615"), for display and logs. */
export function nanosToUsd(nanos: number | bigint): string {
  const value = BigInt(nanos);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(NANOS_PER_USD_DIGITS + 1, '0');
  const whole = digits.slice(0, -NANOS_PER_USD_DIGITS);
  const fraction = digits.slice(-NANOS_PER_USD_DIGITS).replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * A number becomes its shortest round-trip decimal string (String(0.1) is
 * "0.1"), which is the value its author meant, not the binary float's expansion.
 */
function decimalText(value: UsdAmount): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(value, 'not a finite number');
    return String(value);
  }
  if (typeof value !== 'string') throw invalid(value, 'expected a decimal string or number');
  return value.trim();
}

/** value x 10^scale as an integer, rounded half-up once at the last digit kept. */
function scaledInteger(value: UsdAmount, scale: number): bigint {
  const text = decimalText(value);
  if (text.startsWith('-')) throw invalid(value, 'prices cannot be negative');
  const match = DECIMAL.exec(text);
  const intDigits = match?.[1] ?? '';
  const fracDigits = match?.[2] ?? '';
  if (!match || intDigits.length + fracDigits.length === 0) {
    throw invalid(value, 'expected a non-negative decimal such as "2.50" or "1e-7"');
  }
  const exponent = Number(match[3] ?? '0');
  if (Math.abs(exponent) > MAX_EXPONENT) throw invalid(value, 'exponent out of range');
  const digits = BigInt(intDigits + fracDigits);
  const shift = exponent + scale - fracDigits.length;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return (digits + divisor / 2n) / divisor;
}

function toSafeNumber(value: UsdAmount, scaled: bigint): number {
  if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(value, 'price too large');
  return Number(scaled);
}

function invalid(value: unknown, why: string): PriceFormatError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new PriceFormatError(`invalid price ${shown}: ${why}`);
}
