import type { ServerResponse } from 'node:http';
import type { UsageEvent, UsageSink } from '../../contracts/usage.ts';
import { SECURITY_HEADERS } from './security.ts';

/** A client more than this far behind misses events rather than growing the server's memory. */
const MAX_CLIENT_BACKLOG_BYTES = 1 << 20;
const HEARTBEAT_MS = 15_000;

/**
 * Fans proxied requests out to the dashboards watching /api/live as server-sent events. As a
 * UsageSink it sits on the proxy's hot path, so it never blocks or throws: a slow client is skipped.
 */
export class LiveHub implements UsageSink {
  private readonly clients = new Set<ServerResponse>();
  private droppedEvents = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.broadcast(': keep-alive\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  get dropped(): number {
    return this.droppedEvents;
  }

  record(event: UsageEvent): void {
    if (this.clients.size === 0) return;
    try {
      this.broadcast(`event: usage\ndata: ${JSON.stringify(event)}\n\n`);
    } catch {
      this.droppedEvents++;
    }
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private broadcast(frame: string): void {
    for (const client of this.clients) {
      if (client.writableLength > MAX_CLIENT_BACKLOG_BYTES) this.droppedEvents++;
      else client.write(frame);
    }
  }
}
