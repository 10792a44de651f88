import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { ZERO_USAGE, type TokenUsage } from '../../contracts/usage.ts';
import { parseObject } from '../../common/json.ts';
import { ApexError } from '../http/errors.ts';
import { translateErrorBody } from '../translate/errors.ts';
import { TranslationError, type SseFrame, type StreamEvent } from '../translate/ir.ts';
import { codecOf, type ChatWire } from '../translate/wires.ts';
import type { Exchange } from './exchange.ts';
import { upstreamErrorClass } from './outcome.ts';
import { inBandError } from './streamed.ts';

/** A request written in one chat wire and sent in another. */
export interface Translation {
  from: ChatWire;
  to: ChatWire;
  /** OpenAI clients get a usage chunk only when they asked for one. */
  includeUsage: boolean;
}

/** The client's (optimized) body in the provider's wire; a request it cannot express is a 400. */
export function translateRequest(
  body: Record<string, unknown>,
  translation: Translation,
  upstreamModel: string,
  streamUsage: boolean,
): Record<string, unknown> {
  try {
    const request = codecOf(translation.from).decodeRequest(body);
    const encoded = codecOf(translation.to).encodeRequest({ ...request, model: upstreamModel });
    if (!streamUsage) delete encoded.stream_options;
    return encoded;
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    throw new ApexError('invalid_request', `cannot translate this request: ${error.message}`, {
      param: error.param ?? undefined,
    });
  }
}

/** A complete provider answer rewritten for the client; usage and model are read on the way. */
export function translateBuffered(
  exchange: Exchange,
  status: number,
  body: Buffer,
  translation: Translation,
): { status: number; body: Buffer } {
  const parsed = parseObject(body.toString('utf8'));
  if (status >= 400) {
    exchange.errorClass = upstreamErrorClass(parsed, status);
    return { status, body: translateErrorBody(status, body, translation.from, exchange.id) };
  }
  try {
    const response = codecOf(translation.to).decodeResponse(parsed);
    // Bedrock's answers do not name their model; the client still expects one.
    response.model ||= exchange.deployment?.upstreamModel ?? '';
    exchange.usage = response.usage;
    exchange.modelServed = response.model || null;
    return { status, body: Buffer.from(JSON.stringify(codecOf(translation.from).encodeResponse(response))) };
  } catch (error) {
    if (!(error instanceof TranslationError)) throw error;
    exchange.errorClass = 'upstream_invalid_response';
    const reason = Buffer.from(JSON.stringify({ error: { message: `unreadable answer: ${error.message}` } }));
    return { status: 502, body: translateErrorBody(502, reason, translation.from, exchange.id) };
  }
}

/**
 * Relays a provider's event stream as the client's, event by event: each SSE event is decoded to
 * IR events and re-encoded at once, so the client sees tokens as soon as the provider sends them.
 */
export async function relayTranslatedStream(
  exchange: Exchange,
  res: ServerResponse,
  body: AsyncIterable<Buffer>,
  translation: Translation,
  capture: { add(chunk: Buffer | string): void } | null,
): Promise<void> {
  const decode = codecOf(translation.to).streamDecoder();
  const encode = codecOf(translation.from).streamEncoder({ includeUsage: translation.includeUsage });
  const usage: Partial<TokenUsage> = {};
  let pending = '';
  let concluded = false;
  const parser = createParser({
    onEvent: (event) => {
      for (const ir of decode({ event: event.event ?? null, data: event.data })) {
        if (ir.type === 'start') ir.model ||= exchange.deployment?.upstreamModel ?? '';
        concluded ||= CONCLUSIONS.has(ir.type);
        note(exchange, usage, ir);
        for (const frame of encode(ir)) pending += sseText(frame);
      }
    },
  });
  const take = (): string => {
    const out = pending;
    pending = '';
    return out;
  };
  const text = new TextDecoder();
  try {
    for await (const chunk of body) {
      exchange.firstByteAt ??= performance.now();
      parser.feed(text.decode(chunk, { stream: true }));
      const out = take();
      capture?.add(out);
      if (out.length > 0 && !res.write(out)) await once(res, 'drain');
    }
    parser.feed(text.decode());
    if (!concluded) throw new Error('the provider ended the stream before the answer finished');
    const rest = take();
    capture?.add(rest);
    res.end(rest);
  } catch (error) {
    if (res.destroyed) throw error;
    exchange.errorClass = 'upstream_stream_interrupted';
    res.end(take() + inBandError(exchange.api, `upstream stream interrupted: ${(error as Error).message}`));
  }
  exchange.usage = Object.keys(usage).length > 0 ? { ...ZERO_USAGE, ...usage } : null;
  exchange.errorClass ??= exchange.usage ? null : 'usage_missing';
}

/** Events after which a stream may end: without one, the provider stopped mid-answer. */
const CONCLUSIONS: ReadonlySet<StreamEvent['type']> = new Set(['finish', 'end', 'error']);

function note(exchange: Exchange, usage: Partial<TokenUsage>, event: StreamEvent): void {
  if (event.type === 'start') exchange.modelServed = event.model || exchange.modelServed;
  else if (event.type === 'usage') Object.assign(usage, event.usage);
  else if (event.type === 'error') exchange.errorClass = `upstream_stream_error_${event.status}`;
}

function sseText(frame: SseFrame): string {
  const head = frame.event ? `event: ${frame.event}\n` : '';
  return `${head}data: ${frame.data.replaceAll('\n', '\ndata: ')}\n\n`;
}
