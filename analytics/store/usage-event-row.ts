import type { ApiFlavor, Endpoint, UsageEvent } from '../../contracts/usage.ts';
import {
  OPTIMIZERS,
  type Arm,
  type OptimizerName,
  type OptimizerSavings,
} from '../../contracts/optimization.ts';

/** One `usage_events` row exactly as SQLite stores it. */
export interface UsageEventRow {
  id: string;
  ts: number;
  key_id: string | null;
  project: string | null;
  api: string;
  endpoint: string;
  provider: string;
  model_requested: string;
  model_served: string | null;
  streamed: 0 | 1;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  cache_write_1h_tokens: number;
  reasoning_tokens: number;
  cost_nanos: number;
  price_source: string | null;
  latency_us: number;
  ttft_us: number | null;
  status: number;
  error_class: string | null;
  baseline_cost_nanos: number;
  saved_exact_cache_nanos: number;
  saved_semantic_cache_nanos: number;
  saved_compression_nanos: number;
  saved_routing_nanos: number;
  saved_prompt_caching_nanos: number;
  saved_service_tier_nanos: number;
  arm: string | null;
  unit_id: string | null;
  route: string | null;
  optimizations: string | null;
}

export const COLUMNS: readonly (keyof UsageEventRow)[] = [
  'id',
  'ts',
  'key_id',
  'project',
  'api',
  'endpoint',
  'provider',
  'model_requested',
  'model_served',
  'streamed',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'reasoning_tokens',
  'cost_nanos',
  'price_source',
  'latency_us',
  'ttft_us',
  'status',
  'error_class',
  'baseline_cost_nanos',
  ...OPTIMIZERS.map(savedColumn),
  'arm',
  'unit_id',
  'route',
  'optimizations',
];

export function eventToRow(event: UsageEvent): UsageEventRow {
  return {
    id: event.id,
    ts: wholeNumber(event.ts),
    key_id: event.keyId ?? null,
    project: event.project ?? null,
    api: event.api,
    endpoint: event.endpoint,
    provider: event.provider,
    model_requested: event.modelRequested,
    model_served: event.modelServed ?? null,
    streamed: booleanToBit(event.streamed),
    input_tokens: wholeNumber(event.inputTokens),
    output_tokens: wholeNumber(event.outputTokens),
    cached_input_tokens: wholeNumber(event.cachedInputTokens),
    cache_write_tokens: wholeNumber(event.cacheWriteTokens),
    cache_write_1h_tokens: wholeNumber(event.cacheWrite1hTokens),
    reasoning_tokens: wholeNumber(event.reasoningTokens),
    cost_nanos: wholeNumber(event.costNanos),
    price_source: event.priceSource ?? null,
    latency_us: wholeNumber(event.latencyUs),
    ttft_us: event.ttftUs == null ? null : wholeNumber(event.ttftUs),
    status: wholeNumber(event.status),
    error_class: event.errorClass ?? null,
    baseline_cost_nanos: wholeNumber(event.baselineCostNanos ?? event.costNanos),
    ...savingsToColumns(event.savings),
    arm: event.arm ?? null,
    unit_id: event.unitId ?? null,
    route: event.route ?? null,
    optimizations: event.optimizations ?? null,
  };
}

/**
 * Latencies are often computed from performance.now() and arrive fractional;
 * rounding a sub-microsecond (or sub-nanodollar) remainder is harmless. Anything
 * that is not a finite number goes through unchanged (undefined as null) so
 * the STRICT table rejects it and the event is set aside instead of stored wrong.
 */
function wholeNumber(value: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value);
  return (value ?? null) as number;
}

function booleanToBit(value: boolean): 0 | 1 {
  if (value === true) return 1;
  if (value === false) return 0;
  return null as unknown as 0; // missing flag: let NOT NULL reject the event
}

export function rowToEvent(row: UsageEventRow): UsageEvent {
  return {
    id: row.id,
    ts: row.ts,
    keyId: row.key_id,
    project: row.project,
    api: row.api as ApiFlavor,
    endpoint: row.endpoint as Endpoint,
    provider: row.provider,
    modelRequested: row.model_requested,
    modelServed: row.model_served,
    streamed: row.streamed === 1,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cachedInputTokens: row.cached_input_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    cacheWrite1hTokens: row.cache_write_1h_tokens,
    reasoningTokens: row.reasoning_tokens,
    costNanos: row.cost_nanos,
    priceSource: row.price_source,
    latencyUs: row.latency_us,
    ttftUs: row.ttft_us,
    status: row.status,
    errorClass: row.error_class,
    baselineCostNanos: row.baseline_cost_nanos,
    savings: columnsToSavings(row),
    arm: row.arm as Arm | null,
    unitId: row.unit_id,
    route: row.route,
    optimizations: row.optimizations,
  };
}

type SavedColumn = `saved_${OptimizerName}_nanos`;

function savedColumn(optimizer: OptimizerName): SavedColumn {
  return `saved_${optimizer}_nanos`;
}

function savingsToColumns(savings: OptimizerSavings | undefined): Record<SavedColumn, number> {
  const columns = {} as Record<SavedColumn, number>;
  for (const optimizer of OPTIMIZERS)
    columns[savedColumn(optimizer)] = wholeNumber(savings?.[optimizer] ?? 0);
  return columns;
}

/** Only optimizers that saved something appear, so an unoptimized event reads back as {}. */
function columnsToSavings(row: UsageEventRow): OptimizerSavings {
  const savings: OptimizerSavings = {};
  for (const optimizer of OPTIMIZERS) {
    const nanos = row[savedColumn(optimizer)];
    if (nanos !== 0) savings[optimizer] = nanos;
  }
  return savings;
}
