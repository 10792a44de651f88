/**
 * What OpenAI's and Anthropic's admin usage and cost reports share: pages of time buckets
 * ({data: [{<start>, <end>, results: [...]}], has_more, next_page}), the same records flattened into a
 * CSV by a console export, and the few field readers both need.
 */
import { isRecord } from '../../../common/json.ts';
import { text, timestamp } from '../fields.ts';
import { estimateUsageCost, type UsageTokens } from '../row.ts';
import { RowError, type JsonRecords, type MapContext } from '../types.ts';

type Values = Record<string, unknown>;

/** The keys a provider's buckets put their period under. */
export interface BucketKeys {
  start: string;
  end: string;
}

export const OPENAI_BUCKET: BucketKeys = { start: 'start_time', end: 'end_time' };
export const ANTHROPIC_BUCKET: BucketKeys = { start: 'starting_at', end: 'ending_at' };

/** FOCUS ServiceCategory of every row these reports produce. */
export const AI_CATEGORY = 'AI and Machine Learning';

// A result object's nesting: page {, data [, bucket {, results [, result {. A bare array of buckets
// (several pages' data joined) starts one level down.
const PAGE_RESULT_DEPTH = 5;
const ARRAY_RESULT_DEPTH = 4;

/** Every result of a page (or a bare array of buckets), in document order, with its bucket's period. */
export function bucketRecords(document: unknown, keys: BucketKeys): JsonRecords {
  const depth = Array.isArray(document) ? ARRAY_RESULT_DEPTH : PAGE_RESULT_DEPTH;
  return { depth, records: walkBuckets(bucketsOf(document) ?? [], keys) };
}

function* walkBuckets(buckets: readonly unknown[], keys: BucketKeys): Generator<Values> {
  for (const bucket of buckets) {
    if (!isRecord(bucket)) continue;
    for (const result of resultsOf(bucket)) {
      if (!isRecord(result)) continue;
      yield {
        ...result,
        [keys.start]: bucket[keys.start] ?? result[keys.start],
        [keys.end]: bucket[keys.end] ?? result[keys.end],
      };
    }
  }
}

function bucketsOf(document: unknown): readonly unknown[] | null {
  if (Array.isArray(document)) return document;
  if (isRecord(document) && Array.isArray(document['data'])) return document['data'];
  return null;
}

// The API reference names the list `results`; some of OpenAI's examples write `result`.
function resultsOf(bucket: Values): readonly unknown[] {
  const results = bucket['results'] ?? bucket['result'];
  return Array.isArray(results) ? results : [];
}

/**
 * The first result of a bucketed document whose buckets carry `startKey`, for detection; null when the
 * document is not such a page. Leading empty buckets (days without traffic) are skipped.
 */
export function firstResult(document: unknown, startKey: string): Values | null {
  const buckets = bucketsOf(document);
  if (!buckets) return null;
  for (const bucket of buckets) {
    if (!isRecord(bucket) || !(startKey in bucket)) return null;
    const result = resultsOf(bucket).find(isRecord);
    if (result) return result;
  }
  return null;
}

/**
 * A copy of values in which each dotted path ("cache_creation.ephemeral_5m_input_tokens") holds that
 * field however the source wrote it: nested in JSON, or as a CSV column flattened with "." or "_", or
 * under its bare leaf name. The fields.ts readers can then name the path in their messages.
 */
export function unnest(values: Values, paths: readonly string[]): Values {
  const out: Values = { ...values };
  for (const path of paths) out[path] = nestedValue(values, path);
  return out;
}

function nestedValue(values: Values, path: string): unknown {
  const [parent = '', child = ''] = path.split('.');
  const inner = values[parent];
  if (isRecord(inner) && inner[child] !== undefined) return inner[child];
  return values[path] ?? values[`${parent}_${child}`] ?? values[child];
}

/** The bucket's period in epoch ms; a CSV may give only the ISO copy of a time (`start_time_iso`). */
export function bucketPeriod(values: Values, keys: BucketKeys): { start: number; end: number } {
  const start = timestamp(values, timeKey(values, keys.start));
  const end = timestamp(values, timeKey(values, keys.end));
  if (end < start) throw new RowError(`${keys.end} is before ${keys.start}`);
  return { start, end };
}

function timeKey(values: Values, key: string): string {
  const iso = `${key}_iso`;
  return text(values, key) === null && text(values, iso) !== null ? iso : key;
}

const TRUE_TEXT = new Set(['true', '1', 'yes']);
const FALSE_TEXT = new Set(['false', '0', 'no']);

/** A yes/no field as JSON (a boolean) or a CSV (its text) writes it; null when absent. */
export function flag(values: Values, key: string): boolean | null {
  const value = values[key];
  if (typeof value === 'boolean') return value;
  const written = text(values, key);
  if (written === null) return null;
  if (TRUE_TEXT.has(written.toLowerCase())) return true;
  if (FALSE_TEXT.has(written.toLowerCase())) return false;
  throw new RowError(`${key} is not true or false: ${JSON.stringify(written)}`);
}

/** Estimated cost of reported token usage: as billed (batch at half price) and at the standard rate. */
export function estimateUsage(
  context: MapContext,
  provider: string,
  model: string | null,
  usage: Omit<UsageTokens, 'batch'>,
  batch: boolean,
): { billed: number; list: number } {
  // A report not grouped by model cannot be priced; its rows still count tokens.
  if (model === null) return { billed: 0, list: 0 };
  const list = safeSum(
    'estimated cost',
    estimateUsageCost(context, provider, model, { ...usage, batch: false }),
  );
  return { billed: batch ? estimateUsageCost(context, provider, model, { ...usage, batch }) : list, list };
}

/** A sum of counts or nanos from one record, refused when it is past what a double holds exactly. */
export function safeSum(what: string, ...parts: number[]): number {
  const total = parts.reduce((sum, n) => sum + n, 0);
  if (!Number.isSafeInteger(total)) throw new RowError(`${what} is too large`);
  return total;
}
