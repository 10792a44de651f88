import type { PricingCategory } from '../../../contracts/cost.ts';
import { money, tags, text } from '../fields.ts';
import { RowError } from '../types.ts';
import { instanceTypeFrom } from './gpu-types.ts';

type Values = Record<string, unknown>;

/**
 * The column a record has for a field: EA files spell it in PascalCase ("CostInBillingCurrency"), MCA
 * files mostly in camelCase ("costInBillingCurrency"). Names are tried in order (aliases of older
 * schemas last); when none is present the first name is returned, so errors name the expected field.
 */
export function column(values: Values, ...names: string[]): string {
  for (const name of names) {
    if (Object.hasOwn(values, name)) return name;
    const camel = name.charAt(0).toLowerCase() + name.slice(1);
    if (Object.hasOwn(values, camel)) return camel;
  }
  return names[0] ?? '';
}

export function azureText(values: Values, ...names: string[]): string | null {
  return text(values, column(values, ...names));
}

/** Azure tags: a JSON object, or (EA) its members without the outer braces: `"env": "prod","team":"ml"`. */
export function azureTags(value: unknown): Record<string, string> | null {
  if (typeof value !== 'string') return tags(value);
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return tags(trimmed.startsWith('{') ? trimmed : `{${trimmed}}`);
}

const MODELS: Readonly<Record<string, PricingCategory>> = {
  ondemand: 'on-demand',
  spot: 'spot',
  lowpriority: 'spot',
  reservation: 'commitment',
  savingsplan: 'commitment',
};

/** PricingModel is "On Demand" in EA files and "OnDemand" in MCA files. */
export function azurePricingCategory(values: Values): PricingCategory | null {
  const model = azureText(values, 'PricingModel');
  if (model === null) return null;
  return MODELS[model.toLowerCase().replace(/[\s_-]/g, '')] ?? 'other';
}

// ServiceFamily values, folded onto FOCUS ServiceCategory names where they differ.
const SERVICE_CATEGORIES: Readonly<Record<string, string>> = {
  'AI + Machine Learning': 'AI and Machine Learning',
  Compute: 'Compute',
  Storage: 'Storage',
  Networking: 'Networking',
  Databases: 'Databases',
  Analytics: 'Analytics',
};

export function azureServiceCategory(values: Values): string | null {
  const family = azureText(values, 'ServiceFamily');
  return family === null ? null : (SERVICE_CATEGORIES[family] ?? family);
}

/** The VM size: AdditionalInfo's ServiceType/VMSize when present, else the size in the meter name. */
export function azureResourceType(values: Values): string | null {
  const info = additionalInfo(values[column(values, 'AdditionalInfo')]);
  for (const key of ['ServiceType', 'VMSize', 'vmSize']) {
    const size = info?.[key];
    if (typeof size === 'string' && /^Standard_/i.test(size)) return instanceTypeFrom(size) ?? size;
  }
  return (
    instanceTypeFrom(azureText(values, 'MeterName')) ?? instanceTypeFrom(azureText(values, 'ProductName'))
  );
}

// AdditionalInfo is optional JSON; an unreadable one loses only the VM size, not the charge.
function additionalInfo(value: unknown): Record<string, unknown> | null {
  if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
  if (typeof value !== 'string' || !value.trim().startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Quantity in hours for "1 Hour" / "10 Hours" units; other units as written. */
export function azureUsage(
  qty: number | null,
  unit: string | null,
): { quantity: number | null; unit: string | null } {
  const hours = /^(\d+)\s*Hours?$/i.exec(unit ?? '');
  if (!hours || qty === null) return { quantity: qty, unit };
  return { quantity: qty * Number(hours[1]), unit: 'Hours' };
}

/** Pay-as-you-go cost: the MCA column when present, else PayGPrice x Quantity, exact to the nano. */
export function azureListCost(values: Values, quantityKey: string): number | null {
  const payg = money(values, column(values, 'PaygCostInBillingCurrency'));
  if (payg !== null) return payg;
  const priceKey = column(values, 'PayGPrice');
  const price = decimal(values, priceKey);
  const qty = decimal(values, quantityKey);
  if (price === null || qty === null) return null;
  return productNanos(price, qty, priceKey);
}

interface Decimal {
  /** value = digits / 10^scale */
  digits: bigint;
  scale: number;
}

const MAX_DIGITS = 40;
const MAX_EXPONENT = 30;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function decimal(values: Values, key: string): Decimal | null {
  const value = values[key];
  if (value === undefined || value === null || value === '') return null;
  // String(number) is the shortest decimal that round-trips: the digits the exporter wrote.
  if (typeof value !== 'string' && typeof value !== 'number') throw new RowError(`${key} is not a number`);
  const match = DECIMAL.exec(String(value).trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new RowError(`${key} is not a number: ${JSON.stringify(String(value))}`);
  }
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  // Bounds keep BigInt powers small on garbage input; real prices and quantities are far inside them.
  if (whole.length + fraction.length > MAX_DIGITS || Math.abs(Number(exponent)) > MAX_EXPONENT) {
    throw new RowError(`${key} is out of range: ${JSON.stringify(String(value))}`);
  }
  const digits = BigInt(`${whole}${fraction}` || '0');
  return { digits: sign === '-' ? -digits : digits, scale: fraction.length - Number(exponent) };
}

// Integer arithmetic: a float product of price and quantity is off in the last digits.
function productNanos(a: Decimal, b: Decimal, key: string): number {
  const digits = a.digits * b.digits;
  const shift = 9 - (a.scale + b.scale);
  let nanos: bigint;
  if (shift >= 0) nanos = digits * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    const half = divisor / 2n;
    nanos = digits >= 0n ? (digits + half) / divisor : -((-digits + half) / divisor);
  }
  const result = Number(nanos);
  if (!Number.isSafeInteger(result)) throw new RowError(`${key} x Quantity is out of range`);
  return result;
}
