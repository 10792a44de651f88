import type { IncomingMessage } from 'node:http';
import type { HttpEndpoint } from '../../contracts/usage.ts';
import { ApexError } from '../http/errors.ts';
import { parseJsonObject, readBody } from '../http/body.ts';
import { upstreamRequestHeaders, usesCallerKey } from '../http/headers.ts';
import type { ProviderKind } from '../config/schema.ts';
import type { Deployment } from '../router.ts';
import type { ProxyRuntime } from '../runtime.ts';
import type { UpstreamTarget } from '../upstream/agents.ts';
import { azurePath } from '../upstream/azure.ts';
import { passageFor, providerWire, type ChatWire } from '../translate/wires.ts';
import { prepareTranslated } from './prepare-translated.ts';
import type { Translation } from './translated.ts';
import type { Exchange } from './exchange.ts';

/** Everything needed to send one request upstream. */
export interface PreparedRequest {
  deployment: Deployment;
  target: UpstreamTarget;
  path: string;
  body: Buffer;
  headers: Record<string, string>;
  /** Apex asked the upstream for a usage chunk the client did not ask for. */
  stripUsageChunk: boolean;
  /** Set when the provider speaks another wire than the client: answers are rewritten on the way back. */
  translation: Translation | null;
}

/** Endpoint paths relative to an API's version root (".../v1"). */
export const RELATIVE_PATHS: Record<HttpEndpoint, string> = {
  chat: '/chat/completions',
  completions: '/completions',
  embeddings: '/embeddings',
  responses: '/responses',
  messages: '/messages',
};

const WIRE_NAMES: Record<ChatWire, string> = {
  'openai-chat': 'OpenAI',
  anthropic: 'Anthropic Messages',
  gemini: 'Gemini',
  bedrock: 'Bedrock Converse',
};

/** The client's request, parsed and resolved, before any optimizer looks at it. */
export interface IncomingRequest {
  original: Buffer;
  json: Record<string, unknown>;
  /** The deployment the requested model resolves to (the baseline of every saving). */
  deployment: Deployment;
  query: string;
}

export async function readIncoming(
  req: IncomingMessage,
  query: string,
  exchange: Exchange,
  runtime: ProxyRuntime,
): Promise<IncomingRequest> {
  requireJsonContentType(req);
  const original = await readBody(req, runtime.maxBodyBytes);
  const json = parseJsonObject(original);
  const model = json.model;
  if (typeof model !== 'string' || model === '') {
    throw new ApexError('invalid_request', 'the "model" field is required and must be a string', {
      param: 'model',
    });
  }
  exchange.modelRequested = model;
  exchange.streamed = json.stream === true;
  const deployment = resolveDeployment(model, exchange, runtime);
  exchange.deployment = deployment;
  exchange.project ??= deployment.project;
  return { original, json, deployment, query };
}

/**
 * Builds the upstream call for a (possibly optimized) body. `unchanged` says the optimizers left
 * the body alone, so it can go out byte for byte unless the model name or stream options differ.
 */
export function prepareUpstream(
  req: IncomingMessage,
  incoming: IncomingRequest,
  body: Record<string, unknown>,
  deployment: Deployment,
  exchange: Exchange,
  runtime: ProxyRuntime,
): PreparedRequest {
  if (exchange.viaVirtualKey && usesCallerKey(deployment.provider)) {
    throw new ApexError(
      'internal',
      `provider "${deployment.providerName}" has no apiKey in Apex's config; a request made with a ` +
        "virtual key is sent with the key configured in Apex, never with the caller's",
      { code: 'provider_key_missing' },
    );
  }
  const passage = passageFor(exchange.api, exchange.endpoint, deployment.provider.kind);
  if (passage.kind === 'translate') {
    return prepareTranslated(req, incoming, body, deployment, runtime, {
      from: passage.from,
      to: passage.to,
    });
  }
  const stripUsageChunk = mustInjectStreamUsage(body, exchange, deployment);
  const unchanged = body === incoming.json;
  const bytes = rewriteBody(unchanged ? incoming.original : null, { ...body }, deployment, stripUsageChunk);
  const target = runtime.targets.get(deployment.providerName)!;
  return {
    deployment,
    target,
    path: upstreamPath(target.basePath, deployment, exchange.endpoint, incoming.query),
    body: bytes,
    headers: upstreamRequestHeaders(req.headers, deployment.provider, bytes.length),
    stripUsageChunk,
    translation: null,
  };
}

/**
 * Browsers can POST text/plain cross-site without a preflight; insisting on JSON
 * keeps a web page from spending the user's provider keys through the proxy.
 */
function requireJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type'];
  if (type === undefined || !type.toLowerCase().includes('json')) {
    throw new ApexError(
      'unsupported_media_type',
      'send the body as JSON with "Content-Type: application/json"',
    );
  }
}

/** The 404 for a model no route serves, naming the ones that are configured. */
export function modelNotFound(model: string, runtime: ProxyRuntime): ApexError {
  const known = runtime.router
    .listModels()
    .slice(0, 20)
    .map((m) => m.id);
  return new ApexError(
    'not_found',
    `The model "${model}" is not configured in Apex. Configured models: ${known.join(', ') || '(none)'}`,
    { code: 'model_not_found', param: 'model' },
  );
}

function resolveDeployment(model: string, exchange: Exchange, runtime: ProxyRuntime): Deployment {
  const deployment = runtime.router.resolve(model);
  if (!deployment) throw modelNotFound(model, runtime);
  if (passageFor(exchange.api, exchange.endpoint, deployment.provider.kind).kind === 'none') {
    const wire = WIRE_NAMES[providerWire(deployment.provider.kind)];
    throw new ApexError(
      'invalid_request',
      `The model "${model}" is served by provider "${deployment.providerName}" (${wire} API), which has ` +
        `no ${exchange.endpoint} endpoint; between APIs Apex translates chat only ` +
        '(POST /v1/chat/completions, POST /v1/messages).',
      { param: 'model' },
    );
  }
  return deployment;
}

function mustInjectStreamUsage(
  json: Record<string, unknown>,
  exchange: Exchange,
  deployment: Deployment,
): boolean {
  if (!exchange.streamed || !deployment.provider.streamUsage) return false;
  if (exchange.endpoint !== 'chat' && exchange.endpoint !== 'completions') return false;
  const options = json.stream_options as { include_usage?: unknown } | null | undefined;
  return options?.include_usage !== true;
}

/** Re-serializes only when something changes, so most bodies are forwarded byte for byte. */
function rewriteBody(
  original: Buffer | null,
  json: Record<string, unknown>,
  deployment: Deployment,
  injectStreamUsage: boolean,
): Buffer {
  const renamed = deployment.upstreamModel !== json.model;
  if (original && !renamed && !injectStreamUsage) return original;
  if (renamed) json.model = deployment.upstreamModel;
  if (injectStreamUsage) {
    const existing = json.stream_options;
    const base = existing !== null && typeof existing === 'object' ? existing : {};
    json.stream_options = { ...base, include_usage: true };
  }
  return Buffer.from(JSON.stringify(json));
}

function upstreamPath(
  basePath: string,
  deployment: Deployment,
  endpoint: HttpEndpoint,
  query: string,
): string {
  const { provider, upstreamModel } = deployment;
  if (provider.kind === 'azure')
    return azurePath(basePath, provider, upstreamModel, RELATIVE_PATHS[endpoint], query);
  return versionRoot(basePath, provider.kind) + RELATIVE_PATHS[endpoint] + query;
}

/** Anthropic's base URL is configured without its "/v1"; OpenAI-style ones include it. */
export function versionRoot(base: string, kind: ProviderKind): string {
  return kind === 'anthropic' && !base.endsWith('/v1') ? `${base}/v1` : base;
}
