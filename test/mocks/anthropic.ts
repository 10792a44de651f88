/**
 * A fake Anthropic API for tests: exact wire payloads for Messages (JSON and
 * event stream), token counting, the models list and errors, plus
 * `anthropicHandler()` to serve them from one mock upstream.
 *
 * The builder modules name the public references their shapes follow:
 * anthropic-messages.ts (message object, stream events) and anthropic-wire.ts
 * (usage, headers, errors, models, count_tokens). All of them are checked
 * against the official `@anthropic-ai/sdk` client in mocks.test.ts.
 *
 * Usage: `startMockUpstream(anthropicHandler())`, then point a client at `origin`.
 */
import type { MockHandler, MockReply, RecordedRequest } from '../support/mock-upstream.ts';
import { message, messageStream } from './anthropic-messages.ts';
import {
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_ANTHROPIC_MODELS,
  DEFAULT_ANTHROPIC_USAGE,
  anthropicError,
  anthropicModelsList,
  anthropicUsage,
  countTokens,
} from './anthropic-wire.ts';
import type { AnthropicUsageSpec } from './anthropic-wire.ts';
import { requestField, requestModel } from './wire-common.ts';

export * from './anthropic-messages.ts';
export * from './anthropic-wire.ts';
/** The brief's name for the Anthropic models list; an alias so it can sit beside OpenAI's `modelsList`. */
export { anthropicModelsList as modelsList } from './anthropic-wire.ts';

export type AnthropicRoute = 'messages' | 'models' | 'countTokens';

export interface AnthropicHandlerOptions {
  content?: string;
  usage?: AnthropicUsageSpec;
  /** Ids served by GET /v1/models. */
  models?: string[];
  /** Per-route replacements, e.g. `{ messages: () => anthropicError(529) }`. */
  routes?: Partial<Record<AnthropicRoute, MockHandler>>;
}

const ROUTES: Record<string, AnthropicRoute> = {
  'POST /v1/messages': 'messages',
  'GET /v1/models': 'models',
  'POST /v1/messages/count_tokens': 'countTokens',
};

function totalInputTokens(spec: AnthropicUsageSpec): number {
  return spec.input + (spec.cacheRead ?? 0) + (spec.cacheWrite5m ?? 0) + (spec.cacheWrite1h ?? 0);
}

function defaultRoutes(options: AnthropicHandlerOptions): Record<AnthropicRoute, MockHandler> {
  const usageSpec = options.usage ?? DEFAULT_ANTHROPIC_USAGE;
  return {
    messages: (request) => {
      const scripted = {
        model: requestModel(request, DEFAULT_ANTHROPIC_MODEL),
        content: options.content,
        usage: anthropicUsage(usageSpec),
      };
      return requestField(request, 'stream') === true ? messageStream(request, scripted) : message(scripted);
    },
    models: () => anthropicModelsList(options.models ?? DEFAULT_ANTHROPIC_MODELS),
    // Token counting reports the whole prompt; caching only splits it at inference time.
    countTokens: () => countTokens(totalInputTokens(usageSpec)),
  };
}

function unknownRoute(request: RecordedRequest): MockReply {
  return anthropicError(404, 'not_found_error', `Not found: ${request.method} ${request.path}`);
}

export function anthropicHandler(options: AnthropicHandlerOptions = {}): MockHandler {
  const routes = { ...defaultRoutes(options), ...options.routes };
  return (request) => {
    const route = ROUTES[`${request.method} ${request.path}`];
    return route === undefined ? unknownRoute(request) : routes[route](request);
  };
}
