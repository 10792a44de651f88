/**
 * Reading one field of an export record. Each helper accepts what the containers produce (CSV strings,
 * JSON numbers, Parquet numbers, bigints and Dates) and throws RowError naming the field when the value
 * is unusable, so a bad record is reported precisely and skipped.
 */
import { RowError } from './types.ts';

type Values = Record<string, unknown>;

const NANOS_PER_UNIT = 1_000_000_000;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
// Below this many whole units, units x 1e9 plus the fraction stays an exact double.
const FAST_PATH_LIMIT = 9_000_000;

/** A value for an error message; garbage such as prototype-less objects must not throw here. */
function shown(value: unknown): string {
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return 'an object';
  try {
    return JSON.stringify(String(value)).slice(0, 80);
  } catch {
    return 'an unprintable value';
  }
}

function isScalar(value: unknown): value is string | number | bigint | boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean';
}

/** Trimmed text, or null when absent or empty. */
export function text(values: Values, key: string): string | null {
  const value = values[key];
  if (value === undefined || value === null) return null;
  const s = textOf(value, key).trim();
  return s === '' ? null : s;
}

function textOf(value: unknown, key: string): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RowError(`${key} is an invalid date`);
    return value.toISOString();
  }
  if (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol') {
    throw new RowError(`${key} is not a text value`);
  }
  return String(value);
}

export function requiredText(values: Values, key: string): string {
  const s = text(values, key);
  if (s === null) throw new RowError(`${key} is missing`);
  return s;
}

/** A whole, non-negative count (tokens, requests); null when absent. */
export function count(values: Values, key: string): number | null {
  const value = values[key];
  if (value === undefined || value === null || value === '') return null;
  if (!isScalar(value) || typeof value === 'boolean')
    throw new RowError(`${key} is not a whole number: ${shown(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || (typeof value === 'string' && !/^\s*\d+\s*$/.test(value))) {
    throw new RowError(`${key} is not a whole number: ${shown(value)}`);
  }
  return n;
}

export function requiredCount(values: Values, key: string): number {
  const n = count(values, key);
  if (n === null) throw new RowError(`${key} is missing`);
  return n;
}

/** A fractional quantity (hours, GB); null when absent. */
export function quantity(values: Values, key: string): number | null {
  const value = values[key];
  if (value === undefined || value === null || value === '') return null;
  if (!isScalar(value)) throw new RowError(`${key} is not a number: ${shown(value)}`);
  const n = Number(value);
  if (!Number.isFinite(n)) throw new RowError(`${key} is not a number: ${shown(value)}`);
  return n;
}

/** A decimal amount of money as exact integer nano-units; null when absent. */
export function money(values: Values, key: string): number | null {
  const value = values[key];
  if (value === undefined || value === null || value === '') return null;
  const nanos = decimalToNanos(value);
  if (nanos === null) throw new RowError(`${key} is not an amount: ${shown(value)}`);
  return nanos;
}

export function requiredMoney(values: Values, key: string): number {
  const nanos = money(values, key);
  if (nanos === null) throw new RowError(`${key} is missing`);
  return nanos;
}

/** Exact decimal to nano-units, rounding half away from zero past 9 decimals; null if not a number. */
export function decimalToNanos(value: unknown): number | null {
  if (typeof value === 'bigint') return Number(value) * NANOS_PER_UNIT;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  // String(number) is the shortest decimal that round-trips, i.e. the digits the exporter wrote.
  const match = DECIMAL.exec(String(value).trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const [, sign, whole = '', fraction = '', exponent] = match;
  const negative = sign === '-';
  if (
    exponent === undefined &&
    fraction.length <= 9 &&
    whole.length <= 7 &&
    Number(whole) < FAST_PATH_LIMIT
  ) {
    const nanos = Number(whole || '0') * NANOS_PER_UNIT + Number(fraction.padEnd(9, '0'));
    return negative && nanos !== 0 ? -nanos : nanos;
  }
  return slowDecimalToNanos(negative, whole, fraction, Number(exponent ?? 0));
}

function slowDecimalToNanos(
  negative: boolean,
  whole: string,
  fraction: string,
  exponent: number,
): number | null {
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = 9 + exponent - fraction.length;
  let nanos: bigint;
  if (scale >= 0) nanos = digits * 10n ** BigInt(scale);
  else {
    const divisor = 10n ** BigInt(-scale);
    nanos = (digits + divisor / 2n) / divisor;
  }
  const result = Number(negative ? -nanos : nanos);
  return Number.isSafeInteger(result) ? result : null;
}

/**
 * A point in time as epoch milliseconds. Accepts ISO 8601 (a zone-less time is UTC, as bills are),
 * plain dates, US dates (MM/DD/YYYY, Azure's EA exports), epoch seconds and Dates.
 */
export function timestamp(values: Values, key: string): number {
  const value = values[key];
  const ms = toEpochMs(value);
  if (ms === null) {
    if (value === undefined || value === null || value === '') throw new RowError(`${key} is missing`);
    throw new RowError(`${key} is not a date: ${shown(value)}`);
  }
  return ms;
}

const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const HAS_ZONE = /(Z|[+-]\d\d:?\d\d)$/i;

export function toEpochMs(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'number' || typeof value === 'bigint') return epochNumber(Number(value));
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;
  if (/^\d+(\.\d+)?$/.test(s)) return epochNumber(Number(s));
  const us = US_DATE.exec(s);
  if (us) return Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]));
  const iso = s.includes(' ') && !s.includes('T') ? s.replace(' ', 'T') : s;
  const withZone = iso.length > 10 && !HAS_ZONE.test(iso) ? `${iso.replace(/ UTC$/i, '')}Z` : iso;
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : ms;
}

// Exports write epoch seconds; a value past year 5000 in seconds can only be milliseconds.
function epochNumber(n: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  return n > 1e11 ? Math.round(n) : Math.round(n * 1000);
}

// Bills repeat each resource's tags on every hourly row; parsing each distinct text once is a
// measurable share of a large import. Bounded so a file of unique tags cannot grow it forever.
const TAG_CACHE_LIMIT = 4_096;
const tagCache = new Map<string, Readonly<Record<string, string>> | null>();

/**
 * Resource tags from a JSON object string, an object, or a Parquet map; null when absent. The result is
 * frozen: one object may be shared by every row with the same tags.
 */
export function tags(value: unknown): Readonly<Record<string, string>> | null {
  if (typeof value !== 'string') return tagsOf(value);
  const cached = tagCache.get(value);
  if (cached !== undefined) return cached;
  const parsed = tagsOf(parseTagText(value));
  if (tagCache.size >= TAG_CACHE_LIMIT) tagCache.clear();
  tagCache.set(value, parsed);
  return parsed;
}

function parseTagText(value: string): unknown {
  if (value.trim() === '') return null;
  try {
    return JSON.parse(value);
  } catch {
    throw new RowError(`tags are not a JSON object: ${JSON.stringify(value.slice(0, 60))}`);
  }
}

function tagsOf(value: unknown): Readonly<Record<string, string>> | null {
  let parsed = value;
  if (parsed instanceof Map) parsed = Object.fromEntries(parsed);
  if (Array.isArray(parsed)) return keyValueList(parsed);
  if (parsed === null || typeof parsed !== 'object') return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    const text = tagText(v);
    if (text !== null) out[k] = text;
  }
  return Object.keys(out).length > 0 ? Object.freeze(out) : null;
}

// A tag value nested as an object is kept as its JSON; anything unprintable is dropped.
function tagText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (isScalar(value)) return String(value);
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

// GCP's labels are [{key, value}, ...]; Parquet maps can arrive as the same shape.
function keyValueList(list: unknown[]): Readonly<Record<string, string>> | null {
  const out: Record<string, string> = {};
  for (const item of list) {
    if (item && typeof item === 'object' && 'key' in item) {
      const { key, value } = item as { key: unknown; value: unknown };
      const name = tagText(key);
      if (name !== null) out[name] = tagText(value) ?? '';
    }
  }
  return Object.keys(out).length > 0 ? Object.freeze(out) : null;
}
