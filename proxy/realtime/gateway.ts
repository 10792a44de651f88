import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { UsageSink } from '../../contracts/usage.ts';
import type { Logger } from '../forward/forward.ts';
import { ApexError } from '../http/errors.ts';
import type { KeyAccess } from '../keys/access.ts';
import type { ProxyMetrics } from '../metrics.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { planSession, type SessionPlan } from './handshake.ts';
import { errorReply, unreachableReply, writeReply, type HttpReply } from './http-reply.ts';
import { realtimeMetrics, type RealtimeMetrics } from './metrics.ts';
import { genaiModalityRates, type ModalityRateLookup } from './pricing.ts';
import { RealtimeSession } from './session.ts';
import { connectUpstream } from './upstream.ts';
import { UsageTap } from './usage-tap.ts';

export interface RealtimeGatewayOptions {
  /** Read per handshake, so a config reload applies to the next session. */
  runtime: () => ProxyRuntime;
  sink: UsageSink;
  metrics: ProxyMetrics;
  logger: Logger;
  keyAccess?: KeyAccess;
  clock?: () => number;
  /** Keepalive ping period for each hop (default 30 s). */
  pingIntervalMs?: number;
  /** Audio and image rates (default: @pydantic/genai-prices' data). */
  modalityRates?: ModalityRateLookup;
}

const DEFAULT_PING_INTERVAL_MS = 30_000;

interface LiveSession {
  session: RealtimeSession;
  tap: UsageTap;
}

/**
 * Serves OpenAI's Realtime API (`GET /v1/realtime?model=…` with `Upgrade: websocket`) by opening
 * the provider's WebSocket first and upgrading the client only once it is open, so a provider's
 * refusal reaches the client as the HTTP error it is; then relays both ways and records a usage
 * event per `response.done`.
 */
export class RealtimeGateway {
  private readonly options: RealtimeGatewayOptions;
  private readonly metrics: RealtimeMetrics;
  private readonly rates: ModalityRateLookup;
  private readonly server: WebSocketServer;
  /** Each accepted handshake's plan, read by ws during the upgrade (subprotocol, response headers). */
  private readonly upgrading = new WeakMap<IncomingMessage, SessionPlan>();
  private readonly live = new Set<LiveSession>();
  private readonly connecting = new Set<() => void>();
  private draining = false;

  constructor(options: RealtimeGatewayOptions) {
    this.options = options;
    this.metrics = realtimeMetrics(options.metrics.registry);
    this.rates = options.modalityRates ?? genaiModalityRates();
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      handleProtocols: (_offered, req) => this.upgrading.get(req)?.protocol ?? false,
    });
    this.server.on('headers', (headers: string[], req: IncomingMessage) => {
      const plan = this.upgrading.get(req);
      if (plan) headers.push(`x-apex-request-id: ${plan.requestId}`);
    });
  }

  /** Sessions open now. */
  get size(): number {
    return this.live.size;
  }

  /** The `upgrade` listener of the proxy's HTTP server. */
  readonly handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    this.upgrade(req, socket, head).catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'realtime handshake failed');
      writeReply(socket, errorReply(new ApexError('internal', 'internal error'), 'none'));
    });
  };

  /**
   * Stops taking sessions and ends the open ones: idle sessions at once, those generating a
   * response once its usage has been recorded (or when closeAll runs, whichever comes first).
   */
  drain(): void {
    this.draining = true;
    for (const abort of this.connecting) abort();
    for (const live of this.live) {
      if (!live.tap.busy) live.session.shutdown();
      else live.tap.onIdle = () => live.session.shutdown();
    }
  }

  /** Ends every session now. */
  closeAll(): void {
    this.draining = true;
    for (const abort of this.connecting) abort();
    for (const live of this.live) live.session.shutdown();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.draining) return writeReply(socket, shuttingDownReply('none'));
    const runtime = this.options.runtime();
    const clock = this.options.clock ?? Date.now;
    const planned = planSession(req, { runtime, keyAccess: this.options.keyAccess, now: clock() });
    if (!planned.ok) {
      // An unknown model is the client's text: it is not made a label (one series per typo).
      const { deployment } = planned;
      this.metrics.handshake(deployment?.providerName ?? 'none', deployment ? planned.model : '', 'refused');
      return writeReply(socket, planned.reply);
    }
    const { plan } = planned;
    const upstream = await this.connect(plan, socket);
    if (upstream === null) return;
    this.accept(req, socket, head, plan, upstream, runtime);
  }

  /** The open upstream socket, or null once the client has been answered (or has gone). */
  private async connect(plan: SessionPlan, socket: Duplex): Promise<WebSocket | null> {
    const { providerName, provider } = plan.deployment;
    const connection = connectUpstream({
      url: plan.upstreamUrl,
      headers: plan.upstreamHeaders,
      timeoutMs: provider.connectTimeoutMs,
      requestId: plan.requestId,
    });
    let left = false;
    const release = watchDeparture(socket, () => {
      left = true;
      connection.abort();
    });
    this.connecting.add(connection.abort);
    const outcome = await connection.outcome;
    release();
    this.connecting.delete(connection.abort);
    if (outcome.kind === 'open' && (left || this.draining)) outcome.socket.terminate();
    if (left || socket.destroyed) {
      socket.destroy();
      return null;
    }
    if (this.draining) {
      writeReply(socket, shuttingDownReply(plan.requestId));
      return null;
    }
    if (outcome.kind === 'open') return outcome.socket;
    const refused = outcome.kind === 'refused';
    this.metrics.handshake(
      providerName,
      plan.modelRequested,
      refused ? 'upstream_refused' : 'upstream_unreachable',
    );
    writeReply(
      socket,
      refused ? outcome.reply : unreachableReply(outcome.error, providerName, plan.requestId),
    );
    return null;
  }

  private accept(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    plan: SessionPlan,
    upstream: WebSocket,
    runtime: ProxyRuntime,
  ): void {
    // The upstream socket stays paused (see connectUpstream) until the relay listens.
    let accepted = false;
    socket.once('close', () => {
      if (!accepted) upstream.terminate();
    });
    this.upgrading.set(req, plan);
    this.server.handleUpgrade(req, socket, head, (client) => {
      accepted = true;
      this.start(client, upstream, plan, runtime);
      // Both sockets were paused while the handshakes completed; reading starts now the relay listens.
      socket.resume();
      upstream.resume();
    });
  }

  private start(client: WebSocket, upstream: WebSocket, plan: SessionPlan, runtime: ProxyRuntime): void {
    const { providerName } = plan.deployment;
    const tap = new UsageTap({
      deployment: plan.deployment,
      modelRequested: plan.modelRequested,
      keyId: plan.keyId,
      project: plan.project,
      route: plan.route,
      key: plan.key,
      pricing: runtime.pricing,
      rates: this.rates,
      sink: this.options.sink,
      metrics: this.options.metrics,
      keyAccess: this.options.keyAccess,
      logger: this.options.logger,
      clock: this.options.clock ?? Date.now,
    });
    const live: LiveSession = {
      tap,
      session: new RealtimeSession(client, upstream, {
        pingIntervalMs: this.options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS,
        onServerFrame: (frame, isBinary) => {
          if (!isBinary) tap.inspect(frame);
        },
        onEnd: () => {
          this.live.delete(live);
          this.metrics.closed(providerName);
        },
      }),
    };
    tap.onBudgetSpent = (message) => live.session.refuse('budget_exceeded', message);
    this.live.add(live);
    this.metrics.handshake(providerName, plan.modelRequested, 'opened');
    this.metrics.opened(providerName);
  }
}

/**
 * Notices a client that leaves while the upstream handshake is under way: the HTTP server no longer
 * reads an upgrade's socket, so its end would go unseen. Bytes it sends meanwhile (a client should
 * not before the 101) are kept and put back for the WebSocket. The returned function stops watching.
 */
function watchDeparture(socket: Duplex, gone: () => void): () => void {
  const early: Buffer[] = [];
  const keep = (chunk: Buffer): number => early.push(chunk);
  socket.on('data', keep);
  socket.once('end', gone);
  socket.once('close', gone);
  socket.resume();
  return () => {
    socket.off('data', keep);
    socket.off('end', gone);
    socket.off('close', gone);
    socket.pause();
    if (early.length > 0) socket.unshift(Buffer.concat(early));
  };
}

function shuttingDownReply(requestId: string): HttpReply {
  const error = new ApexError('upstream_unreachable', 'Apex is shutting down; reconnect shortly');
  return { ...errorReply(error, requestId), status: 503 };
}

/**
 * Serves realtime sessions on the proxy's HTTP server. Upgraded sockets are no longer the HTTP
 * server's connections, so neither server.close() nor closeAllConnections() would end them and the
 * close would wait on them forever: both are extended to end the sessions too (close() drains,
 * closeAllConnections(), which the proxy calls when its grace period runs out, ends what is left).
 */
export function attachRealtime(server: Server, options: RealtimeGatewayOptions): RealtimeGateway {
  const gateway = new RealtimeGateway(options);
  server.on('upgrade', gateway.handleUpgrade);
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void): Server => {
    gateway.drain();
    return close(callback);
  };
  const closeAllConnections = server.closeAllConnections.bind(server);
  server.closeAllConnections = (): void => {
    gateway.closeAll();
    closeAllConnections();
  };
  return gateway;
}
