import type { PricingCategory } from '../../../contracts/cost.ts';
import { decimalToNanos, tags, text } from '../fields.ts';
import { RowError } from '../types.ts';
import { gcpSeriesFromSku, instanceTypeFrom } from './gpu-types.ts';

type Values = Record<string, unknown>;

/**
 * One export row with nested records as dotted keys ("service.description"), the form BigQuery's CSV
 * download uses; JSON and Parquet rows nest them. Repeated fields (labels, credits) stay whole.
 */
export function flattenRow(values: Values): Values {
  const flat: Values = {};
  const visit = (prefix: string, value: unknown): void => {
    if (isRecord(value)) for (const [key, child] of Object.entries(value)) visit(`${prefix}.${key}`, child);
    else flat[prefix] = value;
  };
  for (const [key, value] of Object.entries(values)) visit(key, value);
  return flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Map) &&
    !(value instanceof Date)
  );
}

/** Sum of credits[].amount (credits are negative) in nanos; the CSV form is a JSON string. */
export function creditsNanos(value: unknown): number {
  const list = typeof value === 'string' ? parseList(value) : value;
  if (list === undefined || list === null) return 0;
  if (!Array.isArray(list)) throw new RowError('credits is not a list');
  let total = 0;
  for (const credit of list) {
    const amount: unknown = isRecord(credit) ? credit['amount'] : undefined;
    const nanos = decimalToNanos(amount);
    if (nanos === null) throw new RowError(`credits.amount is not an amount: ${shown(amount)}`);
    total += nanos;
  }
  return total;
}

function shown(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? JSON.stringify(String(value))
    : `a ${typeof value}`;
}

function parseList(value: string): unknown {
  if (value.trim() === '') return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new RowError(`credits is not a JSON list: ${JSON.stringify(value.slice(0, 60))}`);
  }
}

const MACHINE_SPEC = 'compute.googleapis.com/machine_spec';

/**
 * The machine type: the machine_spec system label ("a2-highgpu-1g"); without it, the series the SKU
 * names ("a2"), which the VM's GPU, core and RAM rows share.
 */
export function gcpResourceType(values: Values): string | null {
  const spec = tags(values['system_labels'])?.[MACHINE_SPEC];
  if (spec) return spec;
  const sku = text(values, 'sku.description');
  return instanceTypeFrom(sku) ?? gcpSeriesFromSku(sku);
}

/** GCP has no pricing-model column; Spot/Preemptible and commitment SKUs say so in their names. */
export function gcpPricingCategory(values: Values): PricingCategory {
  const sku = text(values, 'sku.description') ?? '';
  if (/\b(spot|preemptible)\b/i.test(sku)) return 'spot';
  if (/\bcommit(ment|ted)\b/i.test(sku)) return 'commitment';
  const costType = text(values, 'cost_type');
  return costType === null || costType === 'regular' ? 'on-demand' : 'other';
}

const SERVICE_CATEGORIES: Readonly<Record<string, string>> = {
  'Compute Engine': 'Compute',
  'Kubernetes Engine': 'Compute',
  'Vertex AI': 'AI and Machine Learning',
  'Gemini API': 'AI and Machine Learning',
  'Cloud TPU': 'AI and Machine Learning',
  'Cloud Storage': 'Storage',
  BigQuery: 'Analytics',
  Networking: 'Networking',
};

export function gcpServiceCategory(service: string): string | null {
  return SERVICE_CATEGORIES[service] ?? null;
}

/** Hours for "hour" pricing units, so GPU hours compare across clouds; other units as written. */
export function gcpUnit(unit: string | null): string | null {
  return unit !== null && /^hours?$/i.test(unit) ? 'Hours' : unit;
}
