import { performance } from 'node:perf_hooks';
import { isRecord, parseObject, stringField } from '../../common/json.ts';
import type { UsageEvent, UsageSink } from '../../contracts/usage.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import type { Logger } from '../forward/forward.ts';
import type { Pricing } from '../forward/exchange.ts';
import { newRequestId } from '../forward/request-id.ts';
import type { KeyAccess } from '../keys/access.ts';
import type { VirtualKey } from '../keys/key-schema.ts';
import type { ProxyMetrics } from '../metrics.ts';
import type { Deployment } from '../router.ts';
import { priceRealtime, type ModalityRateLookup } from './pricing.ts';
import { readRealtimeUsage } from './usage.ts';

/** Who a session is billed to and where its events go; fixed when the session opens. */
export interface TapContext {
  deployment: Deployment;
  modelRequested: string;
  keyId: string | null;
  project: string | null;
  route: string;
  key: VirtualKey | null;
  /** The runtime's pricing when the session opened (a long session keeps its config, as a request does). */
  pricing: Pricing;
  rates: ModalityRateLookup;
  sink: UsageSink;
  metrics: ProxyMetrics;
  keyAccess?: KeyAccess;
  logger: Logger;
  clock: () => number;
}

/**
 * Server events carry their `type` first (or right after `event_id`), so the first bytes of a frame
 * say what it is. Only the few events accounting needs are parsed; audio and text deltas, the bulk
 * of the traffic, cost one short regex over at most this many bytes.
 */
const SNIFF_BYTES = 192;
const EVENT_TYPE = /"type"\s*:\s*"((?:response|session)\.[a-z_.]+)"/;
/** A client may run out-of-band responses side by side; beyond this many, the oldest is forgotten. */
const MAX_OPEN_RESPONSES = 64;

interface OpenResponse {
  ts: number;
  startedAt: number;
  firstDeltaAt: number | null;
}

/**
 * Watches the server-to-client direction of one session and records a usage event per
 * `response.done`. It is called after each frame has been relayed and never throws: a frame it
 * cannot read is skipped, the session goes on.
 */
export class UsageTap {
  private readonly context: TapContext;
  private readonly open = new Map<string, OpenResponse>();
  private latest: OpenResponse | null = null;
  private modelServed: string | null = null;
  private warned = false;
  /** Called when the last response in flight is done (a draining proxy closes the session then). */
  onIdle: (() => void) | null = null;
  /** Called when a response took the session's virtual key past a budget: the session must end. */
  onBudgetSpent: ((message: string) => void) | null = null;

  constructor(context: TapContext) {
    this.context = context;
  }

  /** A response is being generated: closing now would lose its usage. */
  get busy(): boolean {
    return this.open.size > 0;
  }

  inspect(frame: Buffer): void {
    try {
      const type = EVENT_TYPE.exec(frame.toString('latin1', 0, Math.min(frame.length, SNIFF_BYTES)))?.[1];
      if (type === undefined) return;
      if (type.endsWith('.delta')) {
        if (this.latest && this.latest.firstDeltaAt === null) this.latest.firstDeltaAt = performance.now();
      } else if (type === 'response.done' || type === 'response.created' || type.startsWith('session.')) {
        this.handle(type, frame);
      }
    } catch (error) {
      this.warnOnce(error);
    }
  }

  private handle(type: string, frame: Buffer): void {
    const event = parseObject(frame.toString('utf8'));
    if (!event || event.type !== type) return;
    if (type === 'response.created') this.started(event.response);
    else if (type === 'response.done') this.record(event.response);
    else if (type === 'session.created' || type === 'session.updated') {
      this.modelServed = stringField(event.session, 'model') ?? this.modelServed;
    }
  }

  private started(response: unknown): void {
    const id = stringField(response, 'id');
    if (id === null) return;
    if (this.open.size >= MAX_OPEN_RESPONSES) this.open.delete(this.open.keys().next().value!);
    this.latest = { ts: this.context.clock(), startedAt: performance.now(), firstDeltaAt: null };
    this.open.set(id, this.latest);
  }

  private record(response: unknown): void {
    const id = stringField(response, 'id');
    const opened = id === null ? undefined : this.open.get(id);
    if (id !== null) this.open.delete(id);
    if (opened === this.latest) this.latest = null;
    const event = this.usageEvent(response, opened);
    const { sink, metrics, keyAccess, key } = this.context;
    sink.record(event);
    metrics.observe(event);
    if (key && keyAccess) {
      keyAccess.settle(key, event, 0);
      const refusal = keyAccess.overBudget(key, this.context.clock());
      if (refusal) this.onBudgetSpent?.(refusal.message);
    }
    if (!this.busy) this.onIdle?.();
  }

  private usageEvent(response: unknown, opened: OpenResponse | undefined): UsageEvent {
    const ctx = this.context;
    const tokens = readRealtimeUsage(isRecord(response) ? response.usage : null);
    const priced = tokens
      ? priceRealtime(ctx.pricing, ctx.rates, ctx.deployment, this.modelServed, tokens)
      : { costNanos: 0, source: null };
    const outcome = responseOutcome(response);
    const now = performance.now();
    return {
      id: newRequestId(),
      ts: opened?.ts ?? ctx.clock(),
      keyId: ctx.keyId,
      project: ctx.project,
      api: 'openai',
      endpoint: 'realtime',
      provider: ctx.deployment.providerName,
      modelRequested: ctx.modelRequested,
      modelServed: this.modelServed,
      streamed: true,
      ...(tokens?.usage ?? ZERO_USAGE),
      costNanos: priced.costNanos,
      priceSource: priced.source,
      latencyUs: opened ? Math.round((now - opened.startedAt) * 1000) : 0,
      ttftUs: opened?.firstDeltaAt ? Math.round((opened.firstDeltaAt - opened.startedAt) * 1000) : null,
      status: outcome.status,
      errorClass: outcome.errorClass ?? (tokens ? null : 'usage_missing'),
      baselineCostNanos: priced.costNanos,
      savings: {},
      arm: null,
      unitId: null,
      route: ctx.route,
      optimizations: null,
    };
  }

  private warnOnce(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.context.logger.warn(
      { err: error },
      'a realtime server event could not be accounted; the session goes on',
    );
  }
}

/** A completed, cancelled or incomplete response was served; a failed one is the provider's error. */
function responseOutcome(response: unknown): { status: number; errorClass: string | null } {
  if (stringField(response, 'status') !== 'failed') return { status: 200, errorClass: null };
  const details = isRecord(response) ? response.status_details : null;
  const error = isRecord(details) ? details.error : null;
  return {
    status: 500,
    errorClass: stringField(error, 'code') ?? stringField(error, 'type') ?? 'response_failed',
  };
}
