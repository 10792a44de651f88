import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import type { ApiFlavor } from '../../contracts/usage.ts';
import type { Exchange } from './exchange.ts';
import type { SseEvent, StreamTap } from './taps.ts';

/**
 * Relays an upstream SSE body to the client while a tap reads usage from it.
 * Bytes pass through untouched unless events must be withheld (the usage chunk
 * Apex asked for on the client's behalf), in which case events are re-framed.
 * Writes respect backpressure so a slow client cannot make the proxy buffer
 * a whole generation in memory.
 */
export async function relayEventStream(
  exchange: Exchange,
  res: ServerResponse,
  body: AsyncIterable<Buffer>,
  tap: StreamTap,
  rewrite: boolean,
  capture: { add(chunk: Buffer | string): void } | null = null,
): Promise<void> {
  const decoder = new TextDecoder();
  let pending = '';
  const parser = createParser({
    onEvent: (event) => {
      const withheld = tap.onEvent(event);
      if (rewrite && !withheld) pending += frameEvent(event);
    },
    onComment: (comment) => {
      if (rewrite) pending += `:${comment}\n\n`;
    },
  });
  try {
    for await (const chunk of body) {
      exchange.firstByteAt ??= performance.now();
      parser.feed(decoder.decode(chunk, { stream: true }));
      const out = rewrite ? takePending() : chunk;
      capture?.add(out);
      if (out.length > 0 && !res.write(out)) await once(res, 'drain');
    }
    parser.feed(decoder.decode());
    const rest = rewrite ? takePending() : '';
    capture?.add(rest);
    res.end(rest);
  } catch (error) {
    if (res.destroyed) throw error;
    exchange.errorClass = 'upstream_stream_interrupted';
    res.end(inBandError(exchange.api, `upstream stream interrupted: ${(error as Error).message}`));
  }

  function takePending(): string {
    const out = pending;
    pending = '';
    return out;
  }
}

function frameEvent(event: SseEvent): string {
  let framed = '';
  if (event.event) framed += `event: ${event.event}\n`;
  if (event.id) framed += `id: ${event.id}\n`;
  return `${framed}data: ${event.data.replaceAll('\n', '\ndata: ')}\n\n`;
}

/** The error event each SDK parses and raises when a stream fails part-way. */
export function inBandError(api: ApiFlavor, message: string): string {
  if (api === 'anthropic') {
    const data = JSON.stringify({ type: 'error', error: { type: 'api_error', message } });
    return `event: error\ndata: ${data}\n\n`;
  }
  return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`;
}
