/**
 * A fake OpenAI API for tests: exact wire payloads for Chat Completions, legacy
 * Completions, Embeddings, the Responses API, the models list and errors, plus
 * `openaiHandler()` to serve them all from one mock upstream.
 *
 * Each builder module names the public reference its shapes follow:
 * openai-chat.ts, openai-completions.ts, openai-embeddings.ts,
 * openai-responses.ts and openai-wire.ts (usage, headers, errors, models).
 * All of them are checked against the official `openai` client in mocks.test.ts.
 *
 * Usage: `startMockUpstream(openaiHandler())`, then point a client at `${url}/v1`.
 */
import type { MockHandler, MockReply, RecordedRequest } from '../support/mock-upstream.ts';
import { chatCompletion, chatCompletionStream } from './openai-chat.ts';
import { completion, completionStream } from './openai-completions.ts';
import { embeddingsFor } from './openai-embeddings.ts';
import { response, responseStream } from './openai-responses.ts';
import {
  DEFAULT_OPENAI_USAGE,
  legacyCompletionUsage,
  modelsList,
  openaiError,
  openaiUsage,
  responsesUsage,
} from './openai-wire.ts';
import type { OpenAIUsageSpec } from './openai-wire.ts';
import { requestField, requestModel } from './wire-common.ts';

export * from './openai-chat.ts';
export * from './openai-completions.ts';
export * from './openai-embeddings.ts';
export * from './openai-responses.ts';
export * from './openai-wire.ts';

export type OpenAIRoute = 'chat' | 'completions' | 'embeddings' | 'responses' | 'models';

export interface OpenAIHandlerOptions {
  /** Text every generating endpoint answers with (each has its own default). */
  content?: string;
  usage?: OpenAIUsageSpec;
  /** Ids served by GET /v1/models. */
  models?: string[];
  /** Per-route replacements, e.g. `{ chat: () => openaiError(429) }`. */
  routes?: Partial<Record<OpenAIRoute, MockHandler>>;
}

export const DEFAULT_OPENAI_MODELS = ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'];

const ROUTES: Record<string, OpenAIRoute> = {
  'POST /v1/chat/completions': 'chat',
  'POST /v1/completions': 'completions',
  'POST /v1/embeddings': 'embeddings',
  'POST /v1/responses': 'responses',
  'GET /v1/models': 'models',
};

function isStreaming(request: RecordedRequest): boolean {
  return requestField(request, 'stream') === true;
}

function defaultRoutes(options: OpenAIHandlerOptions): Record<OpenAIRoute, MockHandler> {
  const usage = options.usage ?? DEFAULT_OPENAI_USAGE;
  const text = options.content;
  return {
    chat: (request) => {
      const scripted = {
        model: requestModel(request, 'gpt-4o-mini'),
        content: text,
        usage: openaiUsage(usage),
      };
      return isStreaming(request) ? chatCompletionStream(request, scripted) : chatCompletion(scripted);
    },
    completions: (request) => {
      const scripted = {
        model: requestModel(request, 'gpt-3.5-turbo-instruct'),
        text,
        usage: legacyCompletionUsage(usage),
      };
      return isStreaming(request) ? completionStream(request, scripted) : completion(scripted);
    },
    embeddings: (request) => embeddingsFor(request),
    responses: (request) => {
      const scripted = { model: requestModel(request, 'gpt-4o-mini'), text, usage: responsesUsage(usage) };
      return isStreaming(request) ? responseStream(request, scripted) : response(scripted);
    },
    models: () => modelsList(options.models ?? DEFAULT_OPENAI_MODELS),
  };
}

/** OpenAI answers unknown paths with a 404 invalid_request_error naming the method and path. */
function unknownRoute(request: RecordedRequest): MockReply {
  return openaiError(404, {
    message: `Invalid URL (${request.method} ${request.path})`,
    type: 'invalid_request_error',
    code: null,
    param: null,
  });
}

export function openaiHandler(options: OpenAIHandlerOptions = {}): MockHandler {
  const routes = { ...defaultRoutes(options), ...options.routes };
  return (request) => {
    const route = ROUTES[`${request.method} ${request.path}`];
    return route === undefined ? unknownRoute(request) : routes[route](request);
  };
}
