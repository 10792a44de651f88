import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../proxy/simulator/server.ts';
import { anthropicClient, openaiClient, TEST_SPEED } from './helpers.ts';

let simulator: RunningSimulator;
/** Batches wait minutes here, so tests can look at them (and cancel them) while in progress. */
let slow: RunningSimulator;
let failing: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ seed: 21, speed: TEST_SPEED, errorRate: 0 });
  slow = await startSimulator({ seed: 22, speed: TEST_SPEED, errorRate: 0, batchDelayMs: 1e9 });
  failing = await startSimulator({ seed: 23, speed: TEST_SPEED, errorRate: 1 });
});

afterAll(async () => {
  await Promise.all([simulator.close(), slow.close(), failing.close()]);
});

const OPENAI_DONE = ['completed', 'failed', 'expired', 'cancelled'];

function chatLine(customId: string, content: string, model = 'gpt-4o-mini') {
  const body = { model, messages: [{ role: 'user' as const, content }], max_tokens: 60 };
  return { custom_id: customId, method: 'POST', url: '/v1/chat/completions', body };
}

function jsonl(lines: unknown[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

async function createBatch(client: OpenAI, lines: unknown[], metadata?: Record<string, string>) {
  const upload = await toFile(Buffer.from(jsonl(lines)), 'input.jsonl');
  const file = await client.files.create({ file: upload, purpose: 'batch' });
  return client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
    metadata,
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('timed out polling a batch');
}

const openaiDone = (batch: OpenAI.Batch) => OPENAI_DONE.includes(batch.status);

function pollOpenAI(client: OpenAI, id: string): Promise<OpenAI.Batch> {
  return until(() => client.batches.retrieve(id), openaiDone);
}

async function runToEnd(client: OpenAI, lines: unknown[], metadata?: Record<string, string>) {
  return pollOpenAI(client, (await createBatch(client, lines, metadata)).id);
}

interface OutputLine {
  id: string;
  custom_id: string;
  response: { status_code: number; body: OpenAI.ChatCompletion & { error?: unknown } } | null;
  error: { code: string; message: string } | null;
}

async function fileLines(client: OpenAI, id: string | null | undefined): Promise<OutputLine[]> {
  expect(id).toBeTruthy();
  const text = await (await client.files.content(String(id))).text();
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as OutputLine);
}

describe('OpenAI Files and Batch API', () => {
  it('runs a batch through to an output file with the synchronous answers and usage', async () => {
    const client = openaiClient(simulator);
    const lines = [
      chatLine('a-1', 'Name three colors.'),
      chatLine('a-2', 'Say hi.'),
      chatLine('a-3', 'Count.'),
    ];
    const created = await createBatch(client, lines, { project: 'demo' });
    expect(created).toMatchObject({ object: 'batch', status: 'validating', completion_window: '24h' });
    expect(created.id).toMatch(/^batch_/);
    expect(created.metadata).toEqual({ project: 'demo' });
    const input = await client.files.retrieve(created.input_file_id);
    expect(input).toMatchObject({ object: 'file', purpose: 'batch', filename: 'input.jsonl' });
    expect(input.bytes).toBe(Buffer.byteLength(jsonl(lines)));
    expect(await (await client.files.content(input.id)).text()).toBe(jsonl(lines));

    const batch = await pollOpenAI(client, created.id);
    expect(batch.status).toBe('completed');
    expect(batch.request_counts).toEqual({ total: 3, completed: 3, failed: 0 });
    expect(batch.in_progress_at && batch.finalizing_at && batch.completed_at).toBeTruthy();
    expect(batch.error_file_id).toBeNull();
    const output = await fileLines(client, batch.output_file_id);
    expect(output.map((line) => line.custom_id)).toEqual(['a-1', 'a-2', 'a-3']);

    const first = output[0]!;
    expect(first.id).toMatch(/^batch_req_/);
    expect(first.error).toBeNull();
    expect(first.response?.status_code).toBe(200);
    // Seeded, so the synchronous call with the same prompt is the same answer.
    const sync = await client.chat.completions.create(lines[0]!.body);
    expect(first.response?.body.choices[0]?.message.content).toBe(sync.choices[0]?.message.content);
    expect(first.response?.body.usage?.prompt_tokens).toBe(sync.usage?.prompt_tokens);
    expect(first.response?.body.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('fails a batch whose lines mix models, naming the line', async () => {
    const client = openaiClient(simulator);
    const lines = [chatLine('m-1', 'hi'), chatLine('m-2', 'hi', 'gpt-4o'), chatLine('m-1', 'again')];
    const batch = await runToEnd(client, lines);
    expect(batch.status).toBe('failed');
    expect(batch.failed_at).toBeTruthy();
    expect(batch.errors?.data).toEqual([
      expect.objectContaining({ code: 'mismatched_model', line: 2, param: 'body.model' }),
      expect.objectContaining({ code: 'duplicate_custom_id', line: 3 }),
    ]);
    expect(batch.output_file_id).toBeNull();
  });

  it('rejects unknown files and unsupported endpoints in OpenAI error format', async () => {
    const client = openaiClient(simulator);
    const upload = await toFile(Buffer.from('{}\n'), 'x.jsonl');
    const file = await client.files.create({ file: upload, purpose: 'batch' });
    const params = { input_file_id: file.id, endpoint: '/v1/moderations', completion_window: '24h' } as const;
    const bad = await client.batches.create(params).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.APIError>).param).toBe('endpoint');
    const unknown = { ...params, endpoint: '/v1/chat/completions', input_file_id: 'file-nope' } as const;
    const missing = await client.batches.create(unknown).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.APIError>).param).toBe('input_file_id');
    await expect(client.batches.retrieve('batch_nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('expires every request when the batch asks to, into the error file', async () => {
    const client = openaiClient(simulator);
    const lines = [chatLine('e-1', 'one'), chatLine('e-2', 'two')];
    const batch = await runToEnd(client, lines, { simulate: 'expire' });
    expect(batch.status).toBe('expired');
    expect(batch.expired_at).toBeTruthy();
    expect(batch.request_counts).toEqual({ total: 2, completed: 0, failed: 2 });
    expect(batch.output_file_id).toBeNull();
    const errors = await fileLines(client, batch.error_file_id);
    const summary = errors.map((line) => [line.custom_id, line.response, line.error?.code]);
    expect(summary).toEqual([
      ['e-1', null, 'batch_expired'],
      ['e-2', null, 'batch_expired'],
    ]);
  });

  it('cancels a batch in progress, and refuses to cancel it twice once cancelled', async () => {
    const client = openaiClient(slow);
    const created = await createBatch(client, [chatLine('c-1', 'one')]);
    const inProgress = (batch: OpenAI.Batch) => batch.status === 'in_progress';
    await until(() => client.batches.retrieve(created.id), inProgress);
    const cancelling = await client.batches.cancel(created.id);
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.cancelling_at).toBeTruthy();
    const batch = await pollOpenAI(client, created.id);
    expect(batch.status).toBe('cancelled');
    expect(batch.cancelled_at).toBeTruthy();
    const errors = await fileLines(client, batch.error_file_id);
    expect(errors[0]).toMatchObject({ custom_id: 'c-1', error: { code: 'batch_cancelled' } });
    await expect(client.batches.cancel(created.id)).rejects.toBeInstanceOf(OpenAI.ConflictError);
  });

  it('puts lines whose call failed into the error file with their status and error body', async () => {
    const client = openaiClient(failing);
    const batch = await runToEnd(client, [chatLine('f-1', 'a'), chatLine('f-2', 'b')]);
    expect(batch.status).toBe('completed');
    expect(batch.request_counts).toEqual({ total: 2, completed: 0, failed: 2 });
    expect(batch.output_file_id).toBeNull();
    const errors = await fileLines(client, batch.error_file_id);
    for (const line of errors) {
      expect([429, 500, 503]).toContain(line.response?.status_code);
      expect(line.response?.body.error).toBeTruthy();
      expect(line.error).toBeNull();
    }
  });
});

function messageRequest(customId: string, content: string) {
  return {
    custom_id: customId,
    params: { model: 'claude-haiku-4-5', max_tokens: 60, messages: [{ role: 'user' as const, content }] },
  };
}

type MessageBatch = Anthropic.Messages.MessageBatch;
const ended = (batch: MessageBatch) => batch.processing_status === 'ended';

function pollAnthropic(client: Anthropic, id: string): Promise<MessageBatch> {
  return until(() => client.messages.batches.retrieve(id), ended);
}

async function resultsOf(client: Anthropic, id: string) {
  const results: Anthropic.Messages.MessageBatchIndividualResponse[] = [];
  for await (const result of await client.messages.batches.results(id)) results.push(result);
  return results;
}

describe('Anthropic Message Batches API', () => {
  it('processes a batch and serves succeeded messages from results_url', async () => {
    const client = anthropicClient(simulator);
    const created = await client.messages.batches.create({
      requests: [messageRequest('q-1', 'Hello there.'), messageRequest('q-2', 'Write a haiku.')],
    });
    expect(created).toMatchObject({
      type: 'message_batch',
      processing_status: 'in_progress',
      request_counts: { processing: 2, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      ended_at: null,
      results_url: null,
      cancel_initiated_at: null,
      archived_at: null,
    });
    expect(created.id).toMatch(/^msgbatch_/);
    const batch = await pollAnthropic(client, created.id);
    expect(batch.request_counts).toMatchObject({ processing: 0, succeeded: 2 });
    expect(batch.ended_at).toBeTruthy();
    expect(batch.results_url).toBe(`${simulator.url}/v1/messages/batches/${created.id}/results`);
    const results = await resultsOf(client, created.id);
    expect(results.map((result) => result.custom_id)).toEqual(['q-1', 'q-2']);
    for (const { result } of results) {
      if (result.type !== 'succeeded') throw new Error(`expected success, got ${result.type}`);
      expect(result.message.type).toBe('message');
      expect(result.message.usage.input_tokens).toBeGreaterThan(0);
      expect(result.message.usage.output_tokens).toBeGreaterThan(0);
    }
  });

  it('rejects bad custom_ids and streaming params with 400 invalid_request_error', async () => {
    const client = anthropicClient(simulator);
    const cases = [
      [messageRequest('has space', 'x')],
      [messageRequest('same', 'x'), messageRequest('same', 'y')],
      [{ custom_id: 'streamy', params: { ...messageRequest('s', 'x').params, stream: true } }],
    ];
    for (const requests of cases) {
      const error = await client.messages.batches
        .create({ requests: requests as Anthropic.Messages.BatchCreateParams.Request[] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const body = (error as InstanceType<typeof Anthropic.APIError>).error;
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
  });

  it('refuses results before processing ends, then cancels into canceled results', async () => {
    const client = anthropicClient(slow);
    const created = await client.messages.batches.create({ requests: [messageRequest('w-1', 'wait')] });
    const early = await fetch(`${slow.url}/v1/messages/batches/${created.id}/results`, {
      headers: { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' },
    });
    expect(early.status).toBe(404);
    expect(await early.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    await expect(client.messages.batches.results(created.id)).rejects.toThrow(/results_url/);

    const canceling = await client.messages.batches.cancel(created.id);
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).toBeTruthy();
    const batch = await pollAnthropic(client, created.id);
    expect(batch.request_counts).toMatchObject({ canceled: 1, processing: 0 });
    expect((await resultsOf(client, created.id))[0]?.result).toEqual({ type: 'canceled' });
  });

  it('expires every request when the first custom_id asks to', async () => {
    const client = anthropicClient(simulator);
    const created = await client.messages.batches.create({
      requests: [messageRequest('expire-1', 'a'), messageRequest('later-2', 'b')],
    });
    const batch = await pollAnthropic(client, created.id);
    expect(batch.request_counts).toMatchObject({ expired: 2, succeeded: 0 });
    const results = await resultsOf(client, created.id);
    expect(results.map((result) => result.result.type)).toEqual(['expired', 'expired']);
  });

  it('reports failed calls as errored results in Anthropic error format', async () => {
    const client = anthropicClient(failing);
    const created = await client.messages.batches.create({
      requests: [messageRequest('x-1', 'a'), messageRequest('x-2', 'b')],
    });
    const batch = await pollAnthropic(client, created.id);
    expect(batch.request_counts).toMatchObject({ errored: 2, succeeded: 0 });
    for (const { result } of await resultsOf(client, created.id)) {
      if (result.type !== 'errored') throw new Error(`expected an error, got ${result.type}`);
      expect(result.error.type).toBe('error');
      expect(['rate_limit_error', 'api_error', 'overloaded_error']).toContain(result.error.error.type);
    }
  });
});
