import { WebSocket, type RawData } from 'ws';

/**
 * Above this many bytes queued towards one side, the other side's socket stops being read until
 * the queue drains below the low mark: a slow client must not make the proxy buffer a fast
 * upstream's audio without bound (nor the reverse).
 */
const HIGH_WATER_BYTES = 1024 * 1024;
const LOW_WATER_BYTES = 256 * 1024;
/** How long a side gets to answer a close frame before its socket is destroyed. */
const CLOSE_HANDSHAKE_MS = 5_000;

/** Close codes that may not be sent in a close frame (RFC 6455 §7.4.1), and what is sent instead. */
const UNSENDABLE = new Set([1004, 1005, 1006, 1015]);
const UPSTREAM_ERROR = 1011;
const GOING_AWAY = 1001;
const POLICY_VIOLATION = 1008;

export interface SessionOptions {
  /** Each side is pinged this often and dropped when it has not answered the previous ping. */
  pingIntervalMs: number;
  /** Sees each server frame after it was relayed (the usage tap). */
  onServerFrame(frame: Buffer, isBinary: boolean): void;
  /** Both sockets are closed. */
  onEnd(): void;
}

type Side = 'client' | 'upstream';

/**
 * One realtime session: frames relayed both ways unchanged and in order, with backpressure, close
 * codes relayed both ways, and a keepalive on each hop.
 */
export class RealtimeSession {
  private readonly client: WebSocket;
  private readonly upstream: WebSocket;
  private readonly options: SessionOptions;
  private readonly alive: Record<Side, boolean> = { client: true, upstream: true };
  private readonly keepalive: NodeJS.Timeout;
  private closeTimer: NodeJS.Timeout | null = null;
  private ended = 0;

  constructor(client: WebSocket, upstream: WebSocket, options: SessionOptions) {
    this.client = client;
    this.upstream = upstream;
    this.options = options;
    this.relay(client, upstream, 'client', null);
    this.relay(upstream, client, 'upstream', options.onServerFrame);
    this.watch(client, 'client', upstream);
    this.watch(upstream, 'upstream', client);
    this.keepalive = setInterval(() => this.ping(), options.pingIntervalMs);
    this.keepalive.unref();
  }

  /** Ends the session from Apex's side (the proxy is shutting down). */
  shutdown(reason = 'Apex proxy is shutting down'): void {
    closeSocket(this.client, GOING_AWAY, Buffer.from(reason));
    closeSocket(this.upstream, GOING_AWAY, Buffer.from(reason));
    this.forceCloseLater();
  }

  /**
   * Ends the session because the caller may not go on (a budget is spent): the client gets the
   * reason as a Realtime `error` event, then both sides a policy-violation close.
   */
  refuse(code: string, message: string): void {
    if (this.client.readyState === WebSocket.OPEN) {
      const error = { type: 'invalid_request_error', code, message, param: null, event_id: null };
      this.client.send(JSON.stringify({ type: 'error', event_id: `event_apex_${code}`, error }));
    }
    const reason = Buffer.from(code);
    closeSocket(this.client, POLICY_VIOLATION, reason);
    closeSocket(this.upstream, GOING_AWAY, reason);
    this.forceCloseLater();
  }

  private relay(
    from: WebSocket,
    to: WebSocket,
    side: Side,
    tap: ((frame: Buffer, isBinary: boolean) => void) | null,
  ): void {
    const drained = (): void => {
      if (from.isPaused && to.bufferedAmount < LOW_WATER_BYTES) from.resume();
    };
    from.on('message', (data: RawData, isBinary: boolean) => {
      this.alive[side] = true;
      if (to.readyState !== WebSocket.OPEN) return;
      to.send(data, { binary: isBinary }, drained);
      if (to.bufferedAmount > HIGH_WATER_BYTES && !from.isPaused) from.pause();
      if (tap) tap(data as Buffer, isBinary);
    });
  }

  private watch(socket: WebSocket, side: Side, other: WebSocket): void {
    socket.on('pong', () => (this.alive[side] = true));
    socket.on('error', () => {
      // A broken upstream is the server's error to the client; a broken client just went away.
      closeSocket(other, side === 'upstream' ? UPSTREAM_ERROR : GOING_AWAY, Buffer.from(`${side} error`));
    });
    socket.once('close', (code: number, reason: Buffer) => {
      if (other.isPaused) other.resume();
      closeSocket(other, relayedCode(code, side), reason);
      this.forceCloseLater();
      this.ended += 1;
      if (this.ended === 2) this.end();
    });
  }

  private ping(): void {
    for (const [side, socket] of [
      ['client', this.client],
      ['upstream', this.upstream],
    ] as const) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (!this.alive[side]) {
        socket.terminate();
        continue;
      }
      this.alive[side] = false;
      socket.ping();
    }
  }

  /** The other side got a close frame; if it never answers, its socket is destroyed. */
  private forceCloseLater(): void {
    if (this.closeTimer) return;
    this.closeTimer = setTimeout(() => {
      this.client.terminate();
      this.upstream.terminate();
    }, CLOSE_HANDSHAKE_MS);
    this.closeTimer.unref();
  }

  private end(): void {
    clearInterval(this.keepalive);
    if (this.closeTimer) clearTimeout(this.closeTimer);
    this.options.onEnd();
  }
}

/**
 * The code the other side is sent. Codes that cannot travel in a close frame are translated: an
 * upstream that vanished without a close frame (1006) is an upstream error (1011); a client that
 * did so went away (1001); "no status" (1005) is relayed as a close without a code.
 */
function relayedCode(code: number, from: Side): number | undefined {
  if (!UNSENDABLE.has(code)) return code;
  if (code === 1005) return undefined;
  return from === 'upstream' ? UPSTREAM_ERROR : GOING_AWAY;
}

function closeSocket(socket: WebSocket, code: number | undefined, reason: Buffer): void {
  if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) return;
  if (socket.readyState === WebSocket.CONNECTING) {
    socket.terminate();
    return;
  }
  try {
    if (code === undefined) socket.close();
    else socket.close(code, reason.subarray(0, 123));
  } catch {
    socket.terminate();
  }
}
