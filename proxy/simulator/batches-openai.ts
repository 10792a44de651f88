/**
 * OpenAI's Batch API: create a batch over an uploaded JSONL file, poll it
 * through validating, in_progress and finalizing, then download the output
 * and error files (see openai-files.ts). Each line runs against the
 * simulator's own endpoint, so its answer and usage match the synchronous API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  batchDelayMs,
  callOwnEndpoint,
  forwardedHeaders,
  dispatchRoute,
  perSimulator,
  runPool,
  type BatchRoute,
} from './batch-runner.ts';
import type { SimulatorContext } from './context.ts';
import { FORCE_FAILURE_HEADER, openaiError, type ErrorReply } from './errors.ts';
import { nowSeconds, readJsonBody, sendJson, type Headers } from './http.ts';
import { missingParameter } from './openai-common.ts';
import {
  failOpenAI,
  FILE_ROUTES,
  invalidValue,
  noSuchFile,
  openaiRequestId,
  storedFile,
  storeFile,
  type StoredFile,
} from './openai-files.ts';
import { parseBatchInput, type BatchError, type InputLine } from './batches-openai-input.ts';
import { isRecord } from './prompt.ts';

const ENDPOINTS = ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses'];
const FORWARDED = ['authorization', 'openai-organization', 'openai-project', FORCE_FAILURE_HEADER];
const DAY_SECONDS = 24 * 60 * 60;

type Status =
  | 'validating'
  | 'failed'
  | 'in_progress'
  | 'finalizing'
  | 'completed'
  | 'expired'
  | 'cancelling'
  | 'cancelled';

interface BatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: { object: 'list'; data: BatchError[] } | null;
  input_file_id: string;
  completion_window: string;
  status: Status;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
}

/** One line of the output or error file; `index` keeps them in input order. */
interface LineResult {
  index: number;
  ok: boolean;
  record: Record<string, unknown>;
}

interface Batch {
  object: BatchObject;
  lines: InputLine[];
  results: LineResult[];
  headers: Headers;
  running: boolean;
}

const batchesOf = perSimulator<Batch>();

function isStringMap(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((item) => typeof item === 'string');
}

function checkCreate(ctx: SimulatorContext, body: unknown): ErrorReply | StoredFile {
  if (!isRecord(body))
    return openaiError(400, 'The request body must be a JSON object.', 'invalid_request_error');
  for (const name of ['input_file_id', 'endpoint', 'completion_window']) {
    if (typeof body[name] !== 'string' || body[name] === '') return missingParameter(name);
  }
  if (!ENDPOINTS.includes(String(body.endpoint))) {
    const supported = ENDPOINTS.map((endpoint) => `'${endpoint}'`).join(', ');
    const message = `Invalid value: '${String(body.endpoint)}'. Supported values are: ${supported}.`;
    return invalidValue('endpoint', message);
  }
  if (body.completion_window !== '24h') {
    const message = `Invalid value: '${String(body.completion_window)}'. Supported values are: '24h'.`;
    return invalidValue('completion_window', message);
  }
  if (body.metadata != null && !isStringMap(body.metadata))
    return openaiError(400, 'Invalid metadata: expected an object of strings.', 'invalid_request_error');
  const file = storedFile(ctx, String(body.input_file_id));
  if (!file) return noSuchFile(String(body.input_file_id), 'input_file_id');
  if (file.object.purpose !== 'batch')
    return invalidValue('input_file_id', "The input file must be uploaded with purpose 'batch'.");
  return file;
}

function newBatchObject(ctx: SimulatorContext, body: Record<string, unknown>): BatchObject {
  const created = nowSeconds();
  return {
    id: `batch_${ctx.rng.hex(32)}`,
    object: 'batch',
    endpoint: String(body.endpoint),
    errors: null,
    input_file_id: String(body.input_file_id),
    completion_window: '24h',
    status: 'validating',
    output_file_id: null,
    error_file_id: null,
    created_at: created,
    expires_at: created + DAY_SECONDS,
    in_progress_at: null,
    finalizing_at: null,
    completed_at: null,
    failed_at: null,
    expired_at: null,
    cancelling_at: null,
    cancelled_at: null,
    request_counts: { total: 0, completed: 0, failed: 0 },
    metadata: isStringMap(body.metadata) ? body.metadata : null,
  };
}

async function createBatch(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJsonBody(req);
  if (!body.ok) {
    const tooLarge = body.reason === 'too_large';
    const message = tooLarge
      ? 'Request body too large.'
      : 'We could not parse the JSON body of your request.';
    return failOpenAI(ctx, res, openaiError(tooLarge ? 413 : 400, message, 'invalid_request_error'));
  }
  const checked = checkCreate(ctx, body.value);
  if ('status' in checked) return failOpenAI(ctx, res, checked);
  const object = newBatchObject(ctx, body.value as Record<string, unknown>);
  const batch: Batch = {
    object,
    lines: [],
    results: [],
    headers: forwardedHeaders(req, FORWARDED),
    running: false,
  };
  batchesOf(ctx).set(object.id, batch);
  ctx.later(0, () => validate(ctx, batch, checked.content));
  sendJson(res, 200, object, { 'x-request-id': openaiRequestId(ctx) });
}

function validate(ctx: SimulatorContext, batch: Batch, content: Buffer): void {
  const { object } = batch;
  if (object.status !== 'validating') return;
  const input = parseBatchInput(content, object.endpoint);
  if (input.errors.length > 0) {
    Object.assign(object, { status: 'failed', failed_at: nowSeconds() });
    object.errors = { object: 'list', data: input.errors };
    return;
  }
  batch.lines = input.lines;
  Object.assign(object, { status: 'in_progress', in_progress_at: nowSeconds() });
  object.request_counts.total = input.lines.length;
  ctx.later(batchDelayMs(ctx), () => void runBatch(ctx, batch));
}

function unexecuted(ctx: SimulatorContext, batch: Batch, code: string, message: string): void {
  const done = new Set(batch.results.map((result) => result.index));
  batch.lines.forEach((line, index) => {
    if (done.has(index)) return;
    const record = { id: `batch_req_${ctx.rng.id(24)}`, custom_id: line.custom_id, response: null };
    batch.results.push({ index, ok: false, record: { ...record, error: { code, message } } });
    batch.object.request_counts.failed += 1;
  });
}

async function runLine(ctx: SimulatorContext, batch: Batch, line: InputLine, index: number): Promise<void> {
  const { endpoint } = batch.object;
  const result = await callOwnEndpoint(ctx, 'openai', endpoint, line.body, batch.headers);
  const ok = result.status < 400;
  const response = { status_code: result.status, request_id: result.requestId, body: result.body };
  const record = { id: `batch_req_${ctx.rng.id(24)}`, custom_id: line.custom_id, response, error: null };
  batch.results.push({ index, ok, record });
  batch.object.request_counts[ok ? 'completed' : 'failed'] += 1;
}

async function runBatch(ctx: SimulatorContext, batch: Batch): Promise<void> {
  const { object } = batch;
  if (object.status !== 'in_progress') return;
  if (object.metadata?.simulate === 'expire') {
    const message = 'This request could not be executed before the completion window expired.';
    unexecuted(ctx, batch, 'batch_expired', message);
    writeFiles(ctx, batch);
    return void Object.assign(object, { status: 'expired', expired_at: nowSeconds() });
  }
  batch.running = true;
  const stop = () => object.status !== 'in_progress' || ctx.closed.aborted;
  await runPool(batch.lines, (line, index) => runLine(ctx, batch, line, index), stop);
  batch.running = false;
  if (!ctx.closed.aborted) finishRun(ctx, batch);
}

function finishRun(ctx: SimulatorContext, batch: Batch): void {
  const { object } = batch;
  if (object.status === 'cancelling') return finishCancel(ctx, batch);
  Object.assign(object, { status: 'finalizing', finalizing_at: nowSeconds() });
  ctx.later(0, () => {
    writeFiles(ctx, batch);
    Object.assign(object, { status: 'completed', completed_at: nowSeconds() });
  });
}

function writeFiles(ctx: SimulatorContext, batch: Batch): void {
  const { object } = batch;
  const sorted = [...batch.results].sort((a, b) => a.index - b.index);
  const write = (ok: boolean, suffix: string): string | null => {
    const records = sorted
      .filter((result) => result.ok === ok)
      .map((result) => JSON.stringify(result.record));
    if (records.length === 0) return null;
    const content = Buffer.from(`${records.join('\n')}\n`);
    return storeFile(ctx, `${object.id}_${suffix}.jsonl`, 'batch_output', content).object.id;
  };
  object.output_file_id = write(true, 'output');
  object.error_file_id = write(false, 'error');
}

function finishCancel(ctx: SimulatorContext, batch: Batch): void {
  if (batch.object.status !== 'cancelling' || batch.running) return;
  unexecuted(ctx, batch, 'batch_cancelled', 'This request was not executed because the batch was cancelled.');
  writeFiles(ctx, batch);
  Object.assign(batch.object, { status: 'cancelled', cancelled_at: nowSeconds() });
}

function findBatch(ctx: SimulatorContext, res: ServerResponse, id: string): Batch | undefined {
  const batch = batchesOf(ctx).get(id);
  if (!batch)
    failOpenAI(ctx, res, openaiError(404, `No batch found with id '${id}'.`, 'invalid_request_error'));
  return batch;
}

function retrieveBatch(ctx: SimulatorContext, _req: IncomingMessage, res: ServerResponse, id: string) {
  const batch = findBatch(ctx, res, id);
  if (batch) sendJson(res, 200, batch.object, { 'x-request-id': openaiRequestId(ctx) });
}

function cancelBatch(ctx: SimulatorContext, _req: IncomingMessage, res: ServerResponse, id: string) {
  const batch = findBatch(ctx, res, id);
  if (!batch) return;
  const { object } = batch;
  if (object.status === 'validating' || object.status === 'in_progress') {
    Object.assign(object, { status: 'cancelling', cancelling_at: nowSeconds() });
    // A running batch finishes cancelling once its in-flight requests return.
    if (!batch.running) ctx.later(0, () => finishCancel(ctx, batch));
  } else if (object.status !== 'cancelling') {
    const message = `Cannot cancel a batch with status '${object.status}'.`;
    return failOpenAI(ctx, res, openaiError(409, message, 'invalid_request_error'));
  }
  sendJson(res, 200, object, { 'x-request-id': openaiRequestId(ctx) });
}

const ROUTES: BatchRoute[] = [
  ...FILE_ROUTES,
  { method: 'POST', pattern: /^\/v1\/batches$/, handle: createBatch },
  { method: 'GET', pattern: /^\/v1\/batches\/([^/]+)$/, handle: retrieveBatch },
  { method: 'POST', pattern: /^\/v1\/batches\/([^/]+)\/cancel$/, handle: cancelBatch },
];

/** Answers the request when it is for the Files or Batch API; false leaves it to the other routes. */
export function routeOpenAIBatches(
  ctx: SimulatorContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  return dispatchRoute(ROUTES, ctx, req, res, path);
}
