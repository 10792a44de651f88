import { parseObject } from '../../common/json.ts';
import { upstreamErrorMessage } from '../forward/outcome.ts';
import { errorType } from './anthropic-response.ts';
import type { ChatWire } from './wires.ts';

/** OpenAI's error types as its API sends them; the SDKs choose the exception class by status. */
const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'rate_limit_error',
};

/**
 * A provider's error answer rewritten in the client's wire, same status, the provider's own message
 * kept, so a translated call fails the way the client's SDK expects.
 */
export function translateErrorBody(status: number, body: Buffer, to: ChatWire, requestId: string): Buffer {
  const message =
    upstreamErrorMessage(parseObject(body.toString('utf8'))) ?? `the provider answered ${status}`;
  if (to === 'anthropic') {
    const known = errorType(status);
    const type = known === 'api_error' && status < 500 ? 'invalid_request_error' : known;
    return Buffer.from(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }));
  }
  const type = OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  return Buffer.from(JSON.stringify({ error: { message, type, param: null, code: null } }));
}
