import { once } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { CachedResponse } from '../optimizers/exact-cache.ts';
import type { Exchange } from './exchange.ts';

/** Answers from the cache exactly as the provider once did: a JSON body, or the same SSE events. */
export async function replayCached(
  res: ServerResponse,
  exchange: Exchange,
  cached: CachedResponse,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  exchange.status = cached.status;
  exchange.modelServed = cached.modelServed;
  exchange.usage = cached.usage;
  const out: OutgoingHttpHeaders = { ...headers, 'content-type': cached.contentType };
  if (cached.frames) {
    res.writeHead(cached.status, { ...out, 'cache-control': 'no-cache' });
    exchange.firstByteAt = performance.now();
    for (const frame of cached.frames) {
      if (!res.write(frame)) await once(res, 'drain');
    }
    res.end();
    return;
  }
  const body = cached.body ?? Buffer.alloc(0);
  res.writeHead(cached.status, { ...out, 'content-length': body.length });
  res.end(body);
}

/** Streams bigger than this are relayed but not kept: one runaway answer must not evict a thousand. */
const MAX_CAPTURE_BYTES = 2 * 1024 * 1024;

/** Collects what a relayed stream sent to the client, so the same events can be replayed later. */
export class StreamCapture {
  private readonly chunks: Buffer[] = [];
  private bytes = 0;
  overflowed = false;

  add(chunk: Buffer | string): void {
    if (this.overflowed) return;
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.bytes += buffer.length;
    if (this.bytes > MAX_CAPTURE_BYTES) {
      this.overflowed = true;
      this.chunks.length = 0;
      return;
    }
    this.chunks.push(buffer);
  }

  /** The stream split into its events, each with its blank-line terminator. */
  frames(): string[] | null {
    if (this.overflowed) return null;
    const text = Buffer.concat(this.chunks).toString('utf8');
    return text.split(/(?<=\n\n)/).filter((frame) => frame.length > 0);
  }
}
