// Every provider kind × both official SDKs × (buffered, streamed): one chat call with a system
// prompt through one proxy whose routes reach every kind's local mock. Each cell checks what the
// SDK got, the one request the provider's mock got (path, credential, prompt) and the usage event.
// All kinds' wires report usage in these mocks, so every cell asserts exact token counts: the
// Mistral mock sends usage on its last chunk unasked, as the real API does (Apex sends no
// stream_options there; the mock answers 422 if it does), and the Gemini and Bedrock streams
// carry it on their final event.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS } from '../../contracts/providers.ts';
import type { UsageEvent } from '../../contracts/usage.ts';
import {
  KIND_SPECS,
  carriesApexCredential,
  requestCounts,
  sentSince,
  startMatrix,
  strayCredentialHeaders,
  type KindSpec,
  type Matrix,
} from '../support/sdk-matrix.ts';
import { MATRIX_ANSWER, WIRE_USAGE, type Wire } from '../support/sdk-matrix-mocks.ts';

const SYSTEM_PROMPT = 'You are a terse geography tutor.';
const USER_PROMPT = 'What is the capital of France?';
const CLIENT_OPENAI_KEY = 'sk-client-matrix-openai-key';
const CLIENT_ANTHROPIC_KEY = 'sk-ant-client-matrix-key';

type Sdk = 'openai' | 'anthropic';

let matrix: Matrix;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  matrix = await startMatrix();
  const proxyUrl = matrix.harness.proxy.url;
  openai = new OpenAI({ baseURL: `${proxyUrl}/v1`, apiKey: CLIENT_OPENAI_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: proxyUrl, apiKey: CLIENT_ANTHROPIC_KEY, maxRetries: 0 });
});
afterAll(async () => matrix?.close());

async function askOpenAI(model: string, stream: boolean): Promise<string> {
  const messages = [
    { role: 'system' as const, content: SYSTEM_PROMPT },
    { role: 'user' as const, content: USER_PROMPT },
  ];
  if (!stream) {
    const completion = await openai.chat.completions.create({ model, messages });
    return completion.choices[0]?.message.content ?? '';
  }
  let text = '';
  for await (const chunk of await openai.chat.completions.create({ model, messages, stream: true }))
    text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

async function askAnthropic(model: string, stream: boolean): Promise<string> {
  const params = {
    model,
    max_tokens: 256,
    system: SYSTEM_PROMPT,
    messages: [{ role: 'user' as const, content: USER_PROMPT }],
  };
  if (!stream) {
    const message = await anthropic.messages.create(params);
    return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  }
  let text = '';
  for await (const event of await anthropic.messages.create({ ...params, stream: true }))
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
  return text;
}

/** The text of a string, a list of text parts ({text}) or a message/turn ({content} / {parts}). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('');
  if (typeof value !== 'object' || value === null) return '';
  const record = value as Record<string, unknown>;
  return typeof record.text === 'string' ? record.text : textOf(record.parts ?? record.content);
}

/** The system prompt and the last user turn as each wire carries them. */
function promptsSent(wire: Wire, json: unknown): { system: string; user: string } {
  const body = json as Record<string, unknown>;
  const turns = (body.messages ?? body.contents) as unknown[];
  const user = textOf(turns.at(-1));
  if (wire === 'gemini') return { system: textOf(body.systemInstruction), user };
  if (wire !== 'openai') return { system: textOf(body.system), user };
  const first = turns[0] as { role?: string; content?: unknown };
  return { system: first.role === 'system' ? textOf(first.content) : '', user };
}

async function usageEventAfter(count: number): Promise<UsageEvent> {
  const events = await matrix.harness.waitForEvents(count + 1);
  return events[count]!;
}

function expectUpstreamRequest(spec: KindSpec, stream: boolean, before: ReturnType<typeof requestCounts>) {
  const sent = sentSince(matrix, before);
  // Exactly one request, and at this kind's mock: no retry, no other provider reached.
  expect(sent.map((request) => request.kind)).toEqual([spec.kind]);
  const [request] = sent;
  expect(request!.url).toBe(spec.url(stream));
  expect(carriesApexCredential(spec, request!.headers)).toBe(true);
  expect(strayCredentialHeaders(spec, request!.headers)).toEqual([]);
  const headerText = JSON.stringify(request!.headers);
  expect(headerText).not.toContain(CLIENT_OPENAI_KEY);
  expect(headerText).not.toContain(CLIENT_ANTHROPIC_KEY);
  expect(promptsSent(spec.wire, request!.json)).toEqual({ system: SYSTEM_PROMPT, user: USER_PROMPT });
}

const CELLS = (['openai', 'anthropic'] as const).flatMap((sdk) =>
  [false, true].map((stream) => ({ sdk, stream, mode: stream ? 'streaming' : 'non-streaming' })),
);

describe.each(PROVIDER_KINDS.map((kind) => KIND_SPECS[kind]))('provider kind $kind', (spec) => {
  it.each(CELLS)('$sdk SDK, $mode', async ({ sdk, stream }: { sdk: Sdk; stream: boolean }) => {
    const before = requestCounts(matrix);
    const eventsBefore = matrix.harness.events.length;
    const text =
      sdk === 'openai' ? await askOpenAI(spec.model, stream) : await askAnthropic(spec.model, stream);
    expect(text).toBe(MATRIX_ANSWER);
    expectUpstreamRequest(spec, stream, before);
    const event = await usageEventAfter(eventsBefore);
    const usage = WIRE_USAGE[spec.wire];
    expect(event).toMatchObject({
      provider: spec.kind,
      api: sdk,
      modelRequested: spec.model,
      streamed: stream,
      status: 200,
      errorClass: null,
      inputTokens: usage.input,
      outputTokens: usage.output,
    });
  });
});

it('covers every provider kind with its own mock and route', () => {
  expect(Object.keys(KIND_SPECS).sort()).toEqual([...PROVIDER_KINDS].sort());
  expect(new Set(Object.values(matrix.mocks).map((mock) => mock.url)).size).toBe(PROVIDER_KINDS.length);
  const routes = matrix.harness.proxy.runtime().config.models.map((route) => route.provider);
  expect(routes.sort()).toEqual([...PROVIDER_KINDS].sort());
});

/** A POST straight to one kind's mock, bypassing the proxy. */
async function postToMock(kind: keyof Matrix['mocks'], path: string, body: object): Promise<Response> {
  return fetch(`${matrix.mocks[kind].url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('the matrix mocks are strict, so a cell cannot pass by accident', () => {
  it('Mistral refuses stream_options with its 422 extra_forbidden, as the real API does', async () => {
    const response = await postToMock('mistral', '/v1/chat/completions', {
      model: 'mistral-small-latest',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: USER_PROMPT }],
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'] }] },
    });
  });

  it('answers 404 away from the provider’s own path', async () => {
    const chat = { model: 'm', messages: [{ role: 'user', content: USER_PROMPT }] };
    expect((await postToMock('groq', '/v1/chat/completions', chat)).status).toBe(404);
    expect((await postToMock('azure', '/openai/v1/chat/completions', chat)).status).toBe(404);
    const gemini = '/v1beta/models/gemini-2.5-flash:streamGenerateContent';
    expect((await postToMock('gemini', gemini, {})).status).toBe(404);
    expect((await postToMock('gemini', `${gemini}?alt=sse`, {})).status).toBe(200);
  });
});
