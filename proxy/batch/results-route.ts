import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiFlavor } from '../../contracts/usage.ts';
import { ApexError, sendError } from '../http/errors.ts';
import { callerKeyId } from '../http/identity.ts';
import { parseObject, stringField } from '../../common/json.ts';
import { DEFERRED_PATH, sendReceipt } from './accept.ts';
import type { DeferredStore } from './deferred-store.ts';

/**
 * GET /v1/apex/deferred/{id}: 202 with the receipt while the request waits, then the provider's
 * own answer (status and body, errors included) in the API the request came in on. Only the key
 * that sent a request may read its answer; any other caller gets the same 404 as for an unknown id.
 */
export function sendDeferredResult(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  store: DeferredStore,
): void {
  const id = decodeURIComponent(path.slice(DEFERRED_PATH.length));
  const record = store.get(id);
  const api: ApiFlavor = record?.job.api ?? (req.headers['anthropic-version'] ? 'anthropic' : 'openai');
  if (!record || record.job.keyId !== callerKeyId(req.headers)) {
    return sendError(res, api, new ApexError('not_found', `no deferred request "${id}" for this key`), id);
  }
  if (record.state === 'queued' || record.state === 'submitted')
    return sendReceipt(res, record.job, record.state);
  const body = record.resultBody ?? Buffer.alloc(0);
  if (record.state === 'failed') {
    const message =
      stringField(parseObject(body.toString('utf8')), 'message') ?? 'the deferred request failed';
    const kind = record.resultStatus === 400 ? 'invalid_request' : 'upstream_unreachable';
    return sendError(res, api, new ApexError(kind, message), id);
  }
  res.writeHead(record.resultStatus ?? 200, {
    'content-type': 'application/json',
    'content-length': body.length,
    'x-apex-request-id': id,
  });
  res.end(body);
}
