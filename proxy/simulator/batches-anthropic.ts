/**
 * Anthropic's Message Batches API: create a batch of Messages requests, poll
 * it until processing ends, then stream its JSONL results. Each request runs
 * against the simulator's own /v1/messages, so answers, usage and failures
 * match the synchronous API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicRequestId, sendAnthropicError } from './anthropic-common.ts';
import {
  batchDelayMs,
  callOwnEndpoint,
  forwardedHeaders,
  dispatchRoute,
  ownOrigin,
  perSimulator,
  runPool,
  type BatchRoute,
} from './batch-runner.ts';
import type { SimulatorContext } from './context.ts';
import { anthropicError, FORCE_FAILURE_HEADER, type ErrorReply } from './errors.ts';
import { readJsonBody, sendJson, type Headers } from './http.ts';
import { isRecord } from './prompt.ts';

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const FORWARDED = ['x-api-key', 'authorization', 'anthropic-version', 'anthropic-beta', FORCE_FAILURE_HEADER];
const DAY_MS = 24 * 60 * 60 * 1000;

interface BatchRequest {
  custom_id: string;
  params: Record<string, unknown>;
}

type Result =
  | { type: 'succeeded'; message: unknown }
  | { type: 'errored'; error: unknown }
  | { type: 'canceled' }
  | { type: 'expired' };

interface MessageBatch {
  id: string;
  type: 'message_batch';
  processing_status: 'in_progress' | 'canceling' | 'ended';
  request_counts: Record<'processing' | 'succeeded' | 'errored' | 'canceled' | 'expired', number>;
  ended_at: string | null;
  created_at: string;
  expires_at: string;
  cancel_initiated_at: string | null;
  archived_at: string | null;
  results_url: string | null;
}

interface Batch {
  object: MessageBatch;
  requests: BatchRequest[];
  /** By request index; a request never run has none until the batch ends. */
  results: Array<Result | undefined>;
  headers: Headers;
  running: boolean;
}

const batchesOf = perSimulator<Batch>();

function invalid(ctx: SimulatorContext, message: string): ErrorReply {
  return anthropicError(400, 'invalid_request_error', message, anthropicRequestId(ctx));
}

function checkRequest(ctx: SimulatorContext, item: unknown, index: number, seen: Set<string>) {
  const at = `requests.${index}`;
  if (!isRecord(item)) return invalid(ctx, `${at}: Input should be a valid dictionary`);
  const id = item.custom_id;
  if (typeof id !== 'string') return invalid(ctx, `${at}.custom_id: Field required`);
  if (!CUSTOM_ID.test(id))
    return invalid(ctx, `${at}.custom_id: String should match pattern '${CUSTOM_ID.source}'`);
  if (seen.has(id))
    return invalid(ctx, `${at}.custom_id: Duplicate custom_id '${id}'; custom_id must be unique in a batch.`);
  seen.add(id);
  if (!isRecord(item.params)) return invalid(ctx, `${at}.params: Field required`);
  if (item.params.stream === true)
    return invalid(ctx, `${at}.params.stream: Streaming is not supported in Message Batches.`);
  return undefined;
}

function checkCreate(ctx: SimulatorContext, body: unknown): ErrorReply | BatchRequest[] {
  if (!isRecord(body)) return invalid(ctx, 'Request body must be a JSON object.');
  if (!Array.isArray(body.requests)) return invalid(ctx, 'requests: Field required');
  if (body.requests.length === 0)
    return invalid(ctx, 'requests: List should have at least 1 item after validation, not 0');
  const seen = new Set<string>();
  for (const [index, item] of body.requests.entries()) {
    const problem = checkRequest(ctx, item, index, seen);
    if (problem) return problem;
  }
  return body.requests as BatchRequest[];
}

function newBatchObject(ctx: SimulatorContext, count: number): MessageBatch {
  const now = Date.now();
  return {
    id: `msgbatch_01${ctx.rng.id(22)}`,
    type: 'message_batch',
    processing_status: 'in_progress',
    request_counts: { processing: count, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: null,
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + DAY_MS).toISOString(),
    cancel_initiated_at: null,
    archived_at: null,
    results_url: null,
  };
}

function send(ctx: SimulatorContext, res: ServerResponse, object: MessageBatch): void {
  sendJson(res, 200, object, { 'request-id': anthropicRequestId(ctx) });
}

async function createBatch(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req);
  if (!body.ok) {
    const tooLarge = body.reason === 'too_large';
    const reply = tooLarge
      ? anthropicError(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', '')
      : invalid(ctx, 'There was an error parsing the body of your request as JSON.');
    return sendAnthropicError(res, reply);
  }
  const checked = checkCreate(ctx, body.value);
  if (!Array.isArray(checked)) return sendAnthropicError(res, checked);
  const requests = checked.map(({ custom_id, params }) => ({ custom_id, params }));
  const object = newBatchObject(ctx, requests.length);
  const headers = forwardedHeaders(req, FORWARDED);
  const batch: Batch = { object, requests, results: [], headers, running: false };
  batchesOf(ctx).set(object.id, batch);
  ctx.later(batchDelayMs(ctx), () => void runBatch(ctx, batch));
  send(ctx, res, object);
}

async function runRequest(ctx: SimulatorContext, batch: Batch, request: BatchRequest, index: number) {
  const result = await callOwnEndpoint(ctx, 'anthropic', '/v1/messages', request.params, batch.headers);
  batch.results[index] =
    result.status < 400
      ? { type: 'succeeded', message: result.body }
      : { type: 'errored', error: result.body };
}

async function runBatch(ctx: SimulatorContext, batch: Batch): Promise<void> {
  if (batch.object.processing_status !== 'in_progress') return;
  // Tests force expiry by naming the first request so; nothing else can make a batch outlive 24 hours.
  if (batch.requests[0]?.custom_id.startsWith('expire')) return end(ctx, batch, 'expired');
  batch.running = true;
  const stop = () => batch.object.processing_status !== 'in_progress' || ctx.closed.aborted;
  await runPool(batch.requests, (request, index) => runRequest(ctx, batch, request, index), stop);
  batch.running = false;
  if (!ctx.closed.aborted) end(ctx, batch, 'canceled');
}

/** Ends processing; requests that never ran get `unrun` as their result. */
function end(ctx: SimulatorContext, batch: Batch, unrun: 'canceled' | 'expired'): void {
  const { object } = batch;
  if (object.processing_status === 'ended' || batch.running) return;
  const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
  batch.requests.forEach((_request, index) => {
    const result = batch.results[index] ?? { type: unrun };
    batch.results[index] = result;
    counts[result.type] += 1;
  });
  Object.assign(object, {
    processing_status: 'ended',
    request_counts: counts,
    ended_at: new Date().toISOString(),
    results_url: `${ownOrigin(ctx)}/v1/messages/batches/${object.id}/results`,
  });
}

function findBatch(ctx: SimulatorContext, res: ServerResponse, id: string): Batch | undefined {
  const batch = batchesOf(ctx).get(id);
  if (!batch) {
    const message = `No message batch found with id '${id}'.`;
    sendAnthropicError(res, anthropicError(404, 'not_found_error', message, anthropicRequestId(ctx)));
  }
  return batch;
}

function retrieveBatch(ctx: SimulatorContext, _req: IncomingMessage, res: ServerResponse, id: string): void {
  const batch = findBatch(ctx, res, id);
  if (batch) send(ctx, res, batch.object);
}

function cancelBatch(ctx: SimulatorContext, _req: IncomingMessage, res: ServerResponse, id: string): void {
  const batch = findBatch(ctx, res, id);
  if (!batch) return;
  const { object } = batch;
  if (object.processing_status === 'ended') {
    const message = `Message batch '${id}' has already ended and can no longer be canceled.`;
    return sendAnthropicError(res, invalid(ctx, message));
  }
  if (object.processing_status === 'in_progress') {
    Object.assign(object, { processing_status: 'canceling', cancel_initiated_at: new Date().toISOString() });
    // A running batch ends once its in-flight requests return; an idle one ends right after this reply.
    if (!batch.running) ctx.later(0, () => end(ctx, batch, 'canceled'));
  }
  send(ctx, res, object);
}

function batchResults(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, id: string): void {
  const batch = findBatch(ctx, res, id);
  if (!batch) return;
  if (batch.object.processing_status !== 'ended') {
    const message = `Results for message batch '${id}' are not available until processing has ended.`;
    return sendAnthropicError(res, anthropicError(404, 'not_found_error', message, anthropicRequestId(ctx)));
  }
  const lines = batch.requests.map((request, index) =>
    JSON.stringify({ custom_id: request.custom_id, result: batch.results[index] }),
  );
  const payload = `${lines.join('\n')}\n`;
  // The SDKs ask for application/binary; other clients get the JSONL type the docs name.
  const binary = (req.headers.accept ?? '').includes('application/binary');
  res.writeHead(200, {
    'content-type': binary ? 'application/binary' : 'application/x-jsonl',
    'content-length': Buffer.byteLength(payload),
    'request-id': anthropicRequestId(ctx),
  });
  res.end(payload);
}

const ROUTES: BatchRoute[] = [
  { method: 'POST', pattern: /^\/v1\/messages\/batches$/, handle: createBatch },
  { method: 'GET', pattern: /^\/v1\/messages\/batches\/([^/]+)$/, handle: retrieveBatch },
  { method: 'GET', pattern: /^\/v1\/messages\/batches\/([^/]+)\/results$/, handle: batchResults },
  { method: 'POST', pattern: /^\/v1\/messages\/batches\/([^/]+)\/cancel$/, handle: cancelBatch },
];

/** Answers the request when it is for the Message Batches API; false leaves it to the other routes. */
export function routeAnthropicBatches(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  return dispatchRoute(ROUTES, ctx, req, res, path);
}
