/**
 * Usage shapes shared by the proxy (which produces them), the analytics store
 * (which persists them) and later the control API. Token counts are integers;
 * money is integer nano-dollars (1e-9 USD), never floats.
 */
import type { Arm, OptimizerSavings } from './optimization.ts';

/**
 * Tokens of one request, normalized across providers.
 * - `inputTokens` is the whole prompt: uncached + cache reads + cache writes
 *   (OpenAI's prompt_tokens already is; Anthropic's input_tokens must have its
 *   cache fields added back).
 * - `cachedInputTokens`, `cacheWriteTokens` (5-minute / default TTL) and
 *   `cacheWrite1hTokens` are disjoint parts of `inputTokens`.
 * - `outputTokens` includes reasoning; `reasoningTokens` is the part of it
 *   spent thinking (billed as output).
 */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  reasoningTokens: number;
}

export const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
});

/** The client-facing API a request arrived on. */
export type ApiFlavor = 'openai' | 'anthropic';

/** The endpoint family, stable across versions for grouping in reports. */
export type Endpoint = 'chat' | 'completions' | 'embeddings' | 'responses' | 'messages' | 'realtime';

/** The endpoints served over plain HTTP requests; realtime sessions run over a WebSocket. */
export type HttpEndpoint = Exclude<Endpoint, 'realtime'>;

/** One proxied request, as recorded for billing and the dashboard. */
export interface UsageEvent extends TokenUsage {
  /** Unique id (also returned to the client as x-apex-request-id); makes writes idempotent. */
  id: string;
  /** Request start, milliseconds since the Unix epoch. */
  ts: number;
  /** Fingerprint of the caller's key (never the key itself), or null. */
  keyId: string | null;
  project: string | null;
  api: ApiFlavor;
  endpoint: Endpoint;
  /** Provider name from the config (e.g. "openai", "anthropic", "ollama", "demo"). */
  provider: string;
  modelRequested: string;
  /** The model the upstream says served the request (may be a dated snapshot). */
  modelServed: string | null;
  streamed: boolean;
  /** Actual cost in integer nano-dollars. */
  costNanos: number;
  /** Where the price came from ("catalog", "override", "litellm", "genai-prices") or null if unpriced. */
  priceSource: string | null;
  /** Wall time from request received to response finished, microseconds. */
  latencyUs: number;
  /** Time to the first streamed byte, microseconds; null for non-streamed responses. */
  ttftUs: number | null;
  /** HTTP status returned to the client (499 when the client went away). */
  status: number;
  /** Short error class ("rate_limit_error", "upstream_unreachable", ...) or null on success. */
  errorClass: string | null;
  /**
   * What the original request would have cost: at the requested model, uncached, uncompressed,
   * at the standard tier. Absent on events from before counterfactual accounting: then costNanos.
   */
  baselineCostNanos?: number;
  /** baseline − actual, split by the optimizer that saved it; sums to at most the difference. */
  savings?: OptimizerSavings;
  /** Proof-of-value arm; null or absent when no control group is configured. */
  arm?: Arm | null;
  /** Opaque hash of the unit (user or key) the arm was drawn for. */
  unitId?: string | null;
  /** The route the request is reported under (x-apex-route, else the requested model). */
  route?: string | null;
  /** JSON array of OptimizerDecision, or null when no optimizer looked at the request. */
  optimizations?: string | null;
}

/** Where the proxy hands events. Implementations must never block or throw. */
export interface UsageSink {
  record(event: UsageEvent): void;
}
