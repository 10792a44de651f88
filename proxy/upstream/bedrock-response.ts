/**
 * What the Bedrock target hands back to forward: an IncomingMessage look-alike (a Readable with
 * statusCode and headers), so the relay treats the AWS SDK's results like any HTTP answer.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { UpstreamTimeoutError } from './agents.ts';
import { sseFrameOf, sseText } from './bedrock-sse.ts';
import { toWireShape } from './bedrock-wire.ts';

export function upstreamMessage(
  status: number,
  headers: IncomingHttpHeaders,
  body: Iterable<Buffer> | AsyncIterable<Buffer>,
): IncomingMessage {
  const stream = Readable.from(body, { objectMode: false });
  return Object.assign(stream, {
    statusCode: status,
    statusMessage: '',
    headers,
  }) as unknown as IncomingMessage;
}

function baseHeaders(contentType: string, requestId: string | undefined): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = { 'content-type': contentType };
  if (requestId) headers['x-amzn-requestid'] = requestId;
  return headers;
}

export function jsonMessage(output: { $metadata?: { requestId?: string } }): IncomingMessage {
  const body = Buffer.from(JSON.stringify(toWireShape(output)));
  const headers = baseHeaders('application/json', output.$metadata?.requestId);
  headers['content-length'] = String(body.length);
  return upstreamMessage(200, headers, [body]);
}

/** ConverseStream events re-framed as SSE, each written as soon as the SDK yields it. */
export function eventStreamMessage(
  events: AsyncIterable<object>,
  requestId: string | undefined,
  done: () => void,
): IncomingMessage {
  return upstreamMessage(200, baseHeaders('text/event-stream', requestId), sseChunks(events, done));
}

async function* sseChunks(events: AsyncIterable<object>, done: () => void) {
  try {
    for await (const event of events) {
      const frame = sseFrameOf(toWireShape(event) as Record<string, unknown>);
      if (frame) yield Buffer.from(sseText(frame));
    }
  } catch (error) {
    const frame = inBandException(error);
    if (!frame) throw error;
    yield Buffer.from(frame);
  } finally {
    done();
  }
}

/** The exception members a ConverseStream may carry in band (Bedrock API Reference, ConverseStreamOutput). */
const STREAM_EXCEPTIONS = new Set([
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
]);

/**
 * The SDK throws a modeled stream exception (ThrottlingException, ModelStreamErrorException, ...)
 * as an error; it is sent on as the exception event Bedrock put on the wire, its fields intact.
 * Anything else (a reset connection, an abort) is no event: the stream ends with that error.
 */
export function inBandException(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const member = error.name.charAt(0).toLowerCase() + error.name.slice(1);
  if (!STREAM_EXCEPTIONS.has(member)) return null;
  const fields = toWireShape({ ...error, message: error.message }) as Record<string, unknown>;
  delete fields.name;
  return sseText({ event: member, data: JSON.stringify(fields) });
}

interface SdkError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/**
 * An SDK failure as the provider's answer: a service error (it has an HTTP status) becomes that
 * status with Bedrock's own body, {"message": ...}, and its type in x-amzn-errortype, so it is
 * translated to the client's error format like any provider error. Missing credentials become a
 * 401 naming the fix. Null means a transport failure, for the caller to throw.
 */
export function errorMessageFor(error: unknown, providerName: string): IncomingMessage | null {
  const failure = (error ?? {}) as SdkError;
  const name = typeof failure.name === 'string' ? failure.name : 'Error';
  const message = typeof failure.message === 'string' ? failure.message : String(error);
  const status = failure.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 400) {
    const requestId = failure.$metadata?.requestId;
    return errorMessage(status, name, message, typeof requestId === 'string' ? requestId : undefined);
  }
  if (name === 'CredentialsProviderError') {
    const text = `Apex found no AWS credentials for Bedrock provider "${providerName}": ${message}`;
    return errorMessage(401, 'UnrecognizedClientException', text, undefined);
  }
  return null;
}

export function errorMessage(
  status: number,
  type: string,
  message: string,
  requestId: string | undefined,
): IncomingMessage {
  const body = Buffer.from(JSON.stringify({ message }));
  const headers = baseHeaders('application/json', requestId);
  headers['x-amzn-errortype'] = type;
  headers['content-length'] = String(body.length);
  return upstreamMessage(status, headers, [body]);
}

/** The SDK's own timeouts as the one forward and the retry policy know. */
export function transportFailure(error: unknown): unknown {
  const failure = (error ?? {}) as SdkError;
  const code = failure.code;
  if (failure.name === 'TimeoutError' && (code === undefined || code === 'ETIMEDOUT')) {
    return new UpstreamTimeoutError(String(failure.message), { cause: error });
  }
  return error;
}
