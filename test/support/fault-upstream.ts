/**
 * A provider stand-in that fails on purpose: an HTTP server on 127.0.0.1 speaking OpenAI chat
 * completions and Anthropic messages (JSON and SSE), whose answer to each request is scripted,
 * as a queue of faults or a seeded random mix (see fault-replies.ts for the faults). It counts
 * requests and open sockets and notices when a client goes away, so tests can assert what the
 * proxy did to the upstream as well as what its client saw.
 */
import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../../common/seeded-random.ts';
import {
  apiOfPath,
  malformedFrames,
  plainReply,
  successFrames,
  successJson,
  wait,
  writeJsonReply,
  writeStream,
  type Cleanup,
  type Fault,
  type FaultApi,
  type FaultRequestInfo,
} from './fault-replies.ts';

export type { Fault, FaultApi, MalformedVariant } from './fault-replies.ts';

export interface FaultRecord extends FaultRequestInfo {
  /** 1 for the first request this upstream received. */
  seq: number;
  fault: Fault;
  /** The body or SSE text written back (empty for hangs and resets before headers). */
  sent: string;
  /** The client closed the connection before the reply was complete. */
  closedEarly: boolean;
}

/** Chooses the fault for a request once the queue is empty. */
export type FaultPicker = (request: FaultRequestInfo) => Fault;

export interface FaultUpstream {
  /** `http://127.0.0.1:<port>`: add `/v1` for an OpenAI base URL; Anthropic's is the origin. */
  url: string;
  port: number;
  /** Every request, when started with `record` (the default); empty otherwise. */
  requests: FaultRecord[];
  /** Requests received (all, or of one API). */
  count(api?: FaultApi): number;
  /** Requests answered with each fault kind. */
  faultCounts(): Record<string, number>;
  /** Connections currently open. */
  openSockets(): number;
  connectionsSeen(): number;
  /** Requests whose client closed the connection before the reply was complete. */
  clientClosures(): number;
  /** Resolves once `count` client closures were seen; rejects after `timeoutMs`. */
  waitForClientClosures(count: number, timeoutMs?: number): Promise<void>;
  /** Queues faults for the next requests, in order. */
  script(...faults: Fault[]): void;
  /** What requests get once the queue is empty (default: a normal answer). */
  setDefault(next: Fault | FaultPicker): void;
  /** Stops listening and destroys every connection, hung ones included. Safe to call twice. */
  close(): Promise<void>;
}

export interface FaultUpstreamOptions {
  /** Keep a FaultRecord per request (default true; a soak turns it off). */
  record?: boolean;
  default?: Fault | FaultPicker;
  /** Idle keep-alive time of the server (default 65 s, as providers' load balancers keep them). */
  keepAliveTimeoutMs?: number;
}

const OK: Fault = { kind: 'ok' };

/**
 * A seeded random mix: each entry's fault with its probability, a normal answer otherwise.
 * Faults that only make sense on a stream may be given as functions of the request.
 */
export function faultMix(
  seed: number,
  table: ReadonlyArray<readonly [Fault | FaultPicker, number]>,
): FaultPicker {
  const random = seededRandom(seed);
  return (request) => {
    let draw = random();
    for (const [fault, probability] of table) {
      if (draw < probability) return typeof fault === 'function' ? fault(request) : fault;
      draw -= probability;
    }
    return OK;
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function requestInfo(req: IncomingMessage, body: string): FaultRequestInfo {
  const path = new URL(req.url ?? '/', 'http://fault.invalid').pathname;
  const json = parseJson(body);
  const headers: IncomingHttpHeaders = { ...req.headers };
  return { api: apiOfPath(path) ?? 'openai', path, headers, json, stream: json?.stream === true };
}

/** Sends what `fault` says and returns the text written; `hold` keeps releases for close(). */
async function apply(
  res: ServerResponse,
  request: FaultRequestInfo,
  fault: Fault,
  hold: (cleanup: Cleanup) => void,
): Promise<string> {
  const delayMs = fault.kind === 'ok' || fault.kind === 'slow' ? (fault.delayMs ?? 0) : 0;
  if (delayMs > 0) await wait(res, delayMs, hold);
  if (res.destroyed) return '';
  const reply = plainReply(request, fault);
  if (reply === 'stream') return writeStream(res, successFrames(request));
  if (reply) return writeJsonReply(res, reply);
  return applyNetworkFault(res, request, fault);
}

async function applyNetworkFault(res: ServerResponse, request: FaultRequestInfo, fault: Fault) {
  switch (fault.kind) {
    case 'hang':
      return '';
    case 'reset':
      res.socket?.destroy();
      return '';
    case 'stall':
      return request.stream
        ? writeStream(res, successFrames(request).slice(0, fault.afterEvents ?? 0), true)
        : stallJson(res);
    case 'reset-mid-stream': {
      const sent = request.stream
        ? await writeStream(res, successFrames(request).slice(0, fault.afterEvents), true)
        : await halfJson(res, request, false);
      res.socket?.destroy();
      return sent;
    }
    case 'malformed':
      return request.stream
        ? writeStream(res, malformedFrames(request, fault.variant))
        : halfJson(res, request, true);
    default:
      throw new Error(`fault ${fault.kind} has no network form`);
  }
}

function stallJson(res: ServerResponse): string {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.flushHeaders();
  return '';
}

/** Half of a JSON answer: declared complete (`complete`) so it reads as broken JSON, or cut off. */
async function halfJson(res: ServerResponse, request: FaultRequestInfo, complete: boolean): Promise<string> {
  const full = JSON.stringify(successJson(request).body);
  const half = full.slice(0, Math.floor(full.length / 2));
  const length = Buffer.byteLength(complete ? half : full);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': length });
  await new Promise<void>((resolve) => res.write(half, () => resolve()));
  if (complete) res.end();
  return half;
}

export async function startFaultUpstream(options: FaultUpstreamOptions = {}): Promise<FaultUpstream> {
  const record = options.record ?? true;
  const state = new UpstreamState(options.default ?? OK);
  const requests: FaultRecord[] = [];
  const server = createServer({ keepAliveTimeout: options.keepAliveTimeoutMs ?? 65_000 });
  server.on('connection', (socket) => state.track(socket));
  server.on('request', (req, res) => {
    readBody(req)
      .then((body) => state.answer(res, requestInfo(req, body), record ? requests : null))
      // The client went away while its request was still arriving: nobody is left to answer.
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    count: (api) => (api ? state.byApi[api] : state.total),
    faultCounts: () => ({ ...state.byFault }),
    openSockets: () => state.sockets.size,
    connectionsSeen: () => state.connections,
    clientClosures: () => state.closures,
    waitForClientClosures: (count, timeoutMs = 5_000) => state.waitForClosures(count, timeoutMs),
    script: (...faults) => state.queue.push(...faults),
    setDefault: (next) => (state.fallback = next),
    close() {
      closing ??= closeServer(server, state);
      return closing;
    },
  };
}

/** Stops listening, releases held replies and resolves once every connection has closed. */
async function closeServer(server: Server, state: UpstreamState): Promise<void> {
  for (const release of state.holds) release();
  const stopped = new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
  });
  const sockets = [...state.sockets];
  server.closeAllConnections();
  for (const socket of sockets) socket.destroy();
  // Every socket here has yet to emit 'close' (track() forgets it then), so waiting for it cannot hang.
  await Promise.all([stopped, ...sockets.map((socket) => once(socket, 'close'))]);
}

/** The counters and script of one fault upstream. */
class UpstreamState {
  readonly queue: Fault[] = [];
  fallback: Fault | FaultPicker;
  readonly sockets = new Set<Socket>();
  readonly holds = new Set<Cleanup>();
  readonly byApi: Record<FaultApi, number> = { openai: 0, anthropic: 0 };
  readonly byFault: Record<string, number> = {};
  total = 0;
  connections = 0;
  closures = 0;
  private closureWaiters: Array<() => void> = [];

  constructor(fallback: Fault | FaultPicker) {
    this.fallback = fallback;
  }

  track(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  next(request: FaultRequestInfo): Fault {
    const queued = this.queue.shift();
    if (queued) return queued;
    return typeof this.fallback === 'function' ? this.fallback(request) : this.fallback;
  }

  async answer(res: ServerResponse, request: FaultRequestInfo, log: FaultRecord[] | null): Promise<void> {
    const fault = this.next(request);
    this.total++;
    this.byApi[request.api]++;
    this.byFault[fault.kind] = (this.byFault[fault.kind] ?? 0) + 1;
    const entry: FaultRecord = { ...request, seq: this.total, fault, sent: '', closedEarly: false };
    log?.push(entry);
    const byUs = fault.kind === 'reset' || fault.kind === 'reset-mid-stream';
    res.once('close', () => {
      if (res.writableFinished || byUs) return;
      entry.closedEarly = true;
      this.closures++;
      for (const wake of this.closureWaiters.splice(0)) wake();
    });
    const hold = (cleanup: Cleanup): void => {
      this.holds.add(cleanup);
      res.once('close', () => this.holds.delete(cleanup));
    };
    entry.sent = await apply(res, request, fault, hold);
  }

  async waitForClosures(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.closures < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} client closures, saw ${this.closures}`);
      await new Promise<void>((resolve) => {
        this.closureWaiters.push(resolve);
        setTimeout(resolve, 25);
      });
    }
  }
}
