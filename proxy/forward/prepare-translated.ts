import type { IncomingMessage } from 'node:http';
import type { ProviderConfig } from '../config/schema.ts';
import { upstreamRequestHeaders } from '../http/headers.ts';
import type { Deployment } from '../router.ts';
import type { ProxyRuntime } from '../runtime.ts';
import { azurePath } from '../upstream/azure.ts';
import { translatedPath } from '../translate/wires.ts';
import { versionRoot, type IncomingRequest, type PreparedRequest } from './prepare.ts';
import { translateRequest, type Translation } from './translated.ts';
import { bearerToken } from '../http/identity.ts';

/**
 * The upstream call for a request whose provider speaks the other chat wire: the body is translated
 * and sent to the provider's own chat endpoint. The client's query string is not carried over: its
 * parameters belong to the client's API, not the provider's.
 */
export function prepareTranslated(
  req: IncomingMessage,
  incoming: IncomingRequest,
  body: Record<string, unknown>,
  deployment: Deployment,
  runtime: ProxyRuntime,
  wires: Pick<Translation, 'from' | 'to'>,
): PreparedRequest {
  const { provider } = deployment;
  const json = translateRequest(
    body,
    { ...wires, includeUsage: false },
    deployment.upstreamModel,
    provider.streamUsage,
  );
  const bytes = Buffer.from(JSON.stringify(json));
  const target = runtime.targets.get(deployment.providerName)!;
  const options = incoming.json.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    deployment,
    target,
    path: providerPath(target.basePath, deployment, wires.to, incoming.json.stream === true),
    body: bytes,
    headers: adaptCredentials(upstreamRequestHeaders(req.headers, provider, bytes.length), provider),
    stripUsageChunk: false,
    translation: { ...wires, includeUsage: options?.include_usage === true },
  };
}

function providerPath(
  basePath: string,
  deployment: Deployment,
  wire: Translation['to'],
  stream: boolean,
): string {
  const { provider, upstreamModel } = deployment;
  const relative = translatedPath(wire, upstreamModel, stream);
  if (provider.kind === 'azure') return azurePath(basePath, provider, upstreamModel, relative, '');
  // Gemini's and Bedrock's paths carry their own version; the others hang off the API's version root.
  if (wire === 'gemini' || wire === 'bedrock') return basePath + relative;
  return versionRoot(basePath, provider.kind) + relative;
}

/**
 * With no key of Apex's own, the caller's key is forwarded; it arrives in the header of the
 * caller's SDK (Bearer for OpenAI's, x-api-key for Anthropic's) and is moved to the provider's.
 */
function adaptCredentials(headers: Record<string, string>, provider: ProviderConfig): Record<string, string> {
  if (provider.kind === 'bedrock') return withoutCredentials(headers);
  if (provider.apiKey !== undefined) return headers;
  const bearer = bearerToken(headers['authorization']);
  if (provider.kind === 'gemini') {
    const key = bearer ?? headers['x-api-key'];
    delete headers['authorization'];
    delete headers['x-api-key'];
    if (key && !headers['x-goog-api-key']) headers['x-goog-api-key'] = key;
  } else if (provider.kind === 'anthropic' && bearer && !headers['x-api-key']) {
    delete headers['authorization'];
    headers['x-api-key'] = bearer;
  } else if (provider.kind !== 'anthropic' && !bearer && headers['x-api-key']) {
    headers['authorization'] = `Bearer ${headers['x-api-key']}`;
    delete headers['x-api-key'];
  }
  return headers;
}

/** Bedrock is signed with AWS credentials only: whatever key the caller sent stops here. */
function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  for (const name of ['authorization', 'x-api-key', 'api-key', 'x-goog-api-key']) delete headers[name];
  return headers;
}
