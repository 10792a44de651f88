/**
 * Dollars as people type them, to and from the API's integer nano-dollars, by string arithmetic
 * only: "0.1" is exactly 100,000,000 nanos, never a float's neighbour.
 */

const NANO_DIGITS = 9;
const NANOS_PER_DOLLAR = 1_000_000_000;
/** An optional "$", whole dollars with optional thousands commas, up to nine decimals. */
const AMOUNT = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,9}))?$/;

export type DollarsParse = { ok: true; nanos: number | null } | { ok: false; message: string };

/** "" is no budget (null); "12.50", "$1,000" or ".5" are amounts; anything else says what is wrong. */
export function parseDollars(text: string): DollarsParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, nanos: null };
  const match = AMOUNT.exec(trimmed);
  const whole = (match?.[1] ?? '').replaceAll(',', '');
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === '')) {
    const tooPrecise = /^\$?\s*[\d,]*\.\d{10,}$/.test(trimmed);
    return {
      ok: false,
      message: tooPrecise
        ? 'Use at most nine decimals (a nano-dollar).'
        : 'Enter an amount in dollars, like 25 or 12.50.',
    };
  }
  const nanos = BigInt(whole || '0') * BigInt(NANOS_PER_DOLLAR) + BigInt(fraction.padEnd(NANO_DIGITS, '0'));
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: 'That amount is too large.' };
  return { ok: true, nanos: Number(nanos) };
}

/** Nanos as the plain decimal an input shows ("12.5", "0.000001"); "" for no budget. */
export function dollarsInput(nanos: number | null): string {
  if (nanos === null) return '';
  const whole = Math.floor(nanos / NANOS_PER_DOLLAR);
  const fraction = String(nanos % NANOS_PER_DOLLAR)
    .padStart(NANO_DIGITS, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}
