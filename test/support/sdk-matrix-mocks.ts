/**
 * One local stand-in per provider kind for the SDK matrix (test/proxy/sdk-matrix.test.ts). Each
 * answers MATRIX_ANSWER with its wire's own usage, only at the path its provider uses (anything
 * else is that API's 404), so a request sent to the wrong place fails the cell instead of passing.
 * - OpenAI wire (openai, openai-compatible, azure and every preset): test/mocks/openai.ts served
 *   under the provider's base path; Mistral behaves as the real API does (below).
 * - Anthropic: test/mocks/anthropic.ts. Bedrock: test/support/bedrock-mock.ts, SigV4 verified.
 * - Gemini: generateContent / streamGenerateContent?alt=sse, shaped like the documented examples
 *   in test/proxy/translate/fixtures/gemini.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { anthropicHandler } from '../mocks/anthropic.ts';
import {
  OPENAI_DONE_EVENT,
  chatCompletion,
  chatCompletionChunks,
  legacyCompletionUsage,
  openaiHandler,
  openaiHeaders,
  type OpenAIRoute,
} from '../mocks/openai.ts';
import { splitIntoDeltas } from '../mocks/wire-common.ts';
import { startBedrockMock, type BedrockHandler, type BedrockMock } from './bedrock-mock.ts';
import type { ExpectedSigner } from './bedrock-mock.ts';
import {
  startMockUpstream,
  type MockHandler,
  type MockReply,
  type RecordedRequest,
} from './mock-upstream.ts';

export const MATRIX_ANSWER = 'Paris is the capital of France, and it has been for centuries.';

export type Wire = 'openai' | 'anthropic' | 'gemini' | 'bedrock';

/** Distinct numbers per wire, so an event carrying another wire's usage cannot pass. */
export const WIRE_USAGE: Record<Wire, { input: number; output: number }> = {
  openai: { input: 21, output: 8 },
  anthropic: { input: 23, output: 9 },
  gemini: { input: 17, output: 7 },
  bedrock: { input: 19, output: 5 },
};

/** What every mock recorded, in one shape (Bedrock's mock keeps the body as bytes). */
export interface SentRequest {
  url: string;
  headers: IncomingHttpHeaders;
  json: unknown;
}

export interface StartedMock {
  url: string;
  sent(): SentRequest[];
  close(): Promise<void>;
}

const OPENAI_USAGE_SPEC = { prompt: WIRE_USAGE.openai.input, completion: WIRE_USAGE.openai.output };

/**
 * The OpenAI mock served under `basePath` (e.g. "/openai/v1" for Groq, "/openai/deployments/d" for
 * an Azure deployment): the mock routes by "/v1/...", so the base path is swapped for it, and a
 * request outside the base path gets OpenAI's unknown-URL 404.
 */
export function openaiWireHandler(
  basePath: string,
  routes: Partial<Record<OpenAIRoute, MockHandler>> = {},
): MockHandler {
  const serve = openaiHandler({ content: MATRIX_ANSWER, usage: OPENAI_USAGE_SPEC, routes });
  return (request) => {
    const inside = request.path.startsWith(`${basePath}/`);
    const path = inside ? `/v1${request.path.slice(basePath.length)}` : `/outside${request.path}`;
    return serve({ ...request, path });
  };
}

/** Mistral's 422 for a field it does not know, as its API answers `stream_options`. */
function mistralExtraForbidden(request: RecordedRequest): MockReply {
  const detail = [
    {
      type: 'extra_forbidden',
      loc: ['body', 'stream_options'],
      msg: 'Extra inputs are not permitted',
      input: (request.json as Record<string, unknown>).stream_options,
    },
  ];
  return {
    kind: 'json',
    status: 422,
    body: { object: 'error', message: { detail }, type: 'invalid_request_error', param: null, code: null },
  };
}

/**
 * Mistral's chat: it refuses `stream_options` and, unasked, puts usage on its last stream chunk
 * (the one with finish_reason), per its CompletionChunk reference. Its usage has no detail objects.
 */
const mistralChat: MockHandler = (request) => {
  const body = request.json as Record<string, unknown>;
  if ('stream_options' in body) return mistralExtraForbidden(request);
  const usage = legacyCompletionUsage(OPENAI_USAGE_SPEC);
  const model = String(body.model);
  if (body.stream !== true) return chatCompletion({ model, content: MATRIX_ANSWER, usage });
  const chunks = chatCompletionChunks(request, { model, content: MATRIX_ANSWER });
  const finish = JSON.parse(chunks.at(-1)!.data) as Record<string, unknown>;
  const last = { data: JSON.stringify({ ...finish, usage }) };
  return { kind: 'sse', headers: openaiHeaders(), events: [...chunks.slice(0, -1), last, OPENAI_DONE_EVENT] };
};

export function mistralHandler(basePath: string): MockHandler {
  return openaiWireHandler(basePath, { chat: mistralChat });
}

export function matrixAnthropicHandler(): MockHandler {
  const { input, output } = WIRE_USAGE.anthropic;
  return anthropicHandler({ content: MATRIX_ANSWER, usage: { input, output } });
}

function geminiChunk(text: string, last: boolean, model: string): object {
  const { input, output } = WIRE_USAGE.gemini;
  const candidate = { content: { role: 'model', parts: [{ text }] }, index: 0 };
  const usageMetadata = {
    promptTokenCount: input,
    candidatesTokenCount: output,
    totalTokenCount: input + output,
  };
  return {
    candidates: [last ? { ...candidate, finishReason: 'STOP' } : candidate],
    ...(last ? { usageMetadata } : {}),
    modelVersion: model,
    responseId: 'matrix-gemini-response',
  };
}

/** generativelanguage.googleapis.com for one model: the method after the colon, SSE with alt=sse. */
export function geminiHandler(model: string): MockHandler {
  const base = `/v1beta/models/${model}`;
  return (request) => {
    if (request.method === 'POST' && request.path === `${base}:generateContent`)
      return { kind: 'json', body: geminiChunk(MATRIX_ANSWER, true, model) };
    if (request.method === 'POST' && request.path === `${base}:streamGenerateContent`) {
      const deltas = splitIntoDeltas(MATRIX_ANSWER);
      const events = deltas.map((text, index) => ({
        data: JSON.stringify(geminiChunk(text, index === deltas.length - 1, model)),
      }));
      // Without alt=sse Gemini answers one JSON array; the proxy must ask for SSE.
      if (request.query.get('alt') === 'sse') return { kind: 'sse', events };
    }
    return {
      kind: 'json',
      status: 404,
      body: { error: { code: 404, message: `not found: ${request.url}`, status: 'NOT_FOUND' } },
    };
  };
}

const bedrockAnswer: BedrockHandler = (request) => {
  const { input, output } = WIRE_USAGE.bedrock;
  const usage = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  if (request.operation === 'converse')
    return {
      kind: 'converse',
      body: {
        output: { message: { role: 'assistant', content: [{ text: MATRIX_ANSWER }] } },
        stopReason: 'end_turn',
        usage,
        metrics: { latencyMs: 120 },
      },
    };
  const deltas = splitIntoDeltas(MATRIX_ANSWER).map((text) => ({
    contentBlockDelta: { contentBlockIndex: 0, delta: { text } },
  }));
  return {
    kind: 'stream',
    events: [
      { messageStart: { role: 'assistant' } },
      ...deltas,
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { usage, metrics: { latencyMs: 110 } } },
    ],
  };
};

export async function startHttpMock(handler: MockHandler): Promise<StartedMock> {
  const mock = await startMockUpstream(handler);
  return {
    url: mock.url,
    sent: () => mock.requests.map(({ url, headers, json }) => ({ url, headers, json })),
    close: () => mock.close(),
  };
}

/** Bedrock's mock answers 403 unless the request is SigV4-signed by `signer` (signature checked). */
export async function startMatrixBedrock(signer: Required<ExpectedSigner>): Promise<StartedMock> {
  const mock: BedrockMock = await startBedrockMock(signer);
  mock.setHandler(bedrockAnswer);
  return {
    url: mock.url,
    sent: () => mock.requests.map(({ path, headers, json }) => ({ url: path, headers, json })),
    close: () => mock.close(),
  };
}
