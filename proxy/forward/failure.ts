import type { ServerResponse } from 'node:http';
import { ApexError, sendError } from '../http/errors.ts';
import { sendRefusal } from '../keys/refusal.ts';
import type { Exchange } from './exchange.ts';
import type { Logger } from './forward.ts';
import { Refused } from './key-gate.ts';
import { transportError } from './outcome.ts';
import type { PreparedRequest } from './prepare.ts';
import { SendFailure } from './resilient-send.ts';

/** Answers a request that failed before an upstream answer could be relayed, and notes why on its event. */
export function handleFailure(
  error: unknown,
  exchange: Exchange,
  res: ServerResponse,
  flight: { prepared: PreparedRequest | null; cancellation: { cancelled: boolean } },
  logger: Logger,
): void {
  if (flight.cancellation.cancelled) {
    exchange.status = 499;
    exchange.errorClass = 'client_closed_request';
    return;
  }
  if (error instanceof Refused) {
    exchange.status = error.refusal.status;
    exchange.errorClass = error.refusal.code;
    return sendRefusal(res, exchange.api, error.refusal, exchange.id);
  }
  let prepared = flight.prepared;
  if (error instanceof SendFailure) {
    prepared = error.prepared ?? prepared;
    error = error.cause;
  }
  const apexError = transportError(
    error,
    exchange.deployment?.providerName ?? '',
    prepared?.target.origin ?? '',
  );
  if (!(error instanceof ApexError) && !isTransportFailure(error)) {
    logger.error({ err: error, requestId: exchange.id }, 'unexpected error while proxying');
  }
  exchange.status = apexError.status;
  exchange.errorClass = apexError.code ?? apexError.kind;
  sendError(res, exchange.api, apexError, exchange.id);
}

function isTransportFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  const name = (error as { name?: unknown }).name;
  return (
    (typeof code === 'string' && (code.startsWith('E') || code === 'APEX_UPSTREAM_TIMEOUT')) ||
    name === 'TimeoutError'
  );
}
