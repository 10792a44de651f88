import type { IncomingMessage } from 'node:http';
import { newRequestId } from '../forward/request-id.ts';
import { ApexError } from '../http/errors.ts';
import { callerKeyId, isAllowedHost } from '../http/identity.ts';
import type { KeyAccess } from '../keys/access.ts';
import type { VirtualKey } from '../keys/key-schema.ts';
import type { Deployment } from '../router.ts';
import type { ProxyRuntime } from '../runtime.ts';
import {
  callerCredentials,
  carriesVirtualKey,
  clientProtocol,
  parseProtocols,
  upstreamHandshakeHeaders,
  type CallerCredentials,
} from './credentials.ts';
import { errorReply, notFoundReply, refusalReply, type HttpReply } from './http-reply.ts';
import { upstreamUrl } from './upstream.ts';
import { modelNotFound } from '../forward/prepare.ts';

/** Where the Realtime API is served: OpenAI's path, and the same without /v1 as for HTTP endpoints. */
export const REALTIME_PATHS: ReadonlySet<string> = new Set(['/v1/realtime', '/realtime']);

/** Provider kinds whose APIs have no OpenAI-style realtime WebSocket. */
const NO_REALTIME: ReadonlySet<string> = new Set(['anthropic', 'gemini', 'bedrock']);

/** Everything needed to open the upstream and account for the session. */
export interface SessionPlan {
  requestId: string;
  modelRequested: string;
  deployment: Deployment;
  key: VirtualKey | null;
  keyId: string | null;
  project: string | null;
  route: string;
  /** The subprotocol the client is answered with. */
  protocol: string | false;
  upstreamUrl: string;
  upstreamHeaders: Record<string, string>;
}

export type Plan =
  | { ok: true; plan: SessionPlan }
  | { ok: false; reply: HttpReply; deployment: Deployment | null; model: string };

export interface PlanContext {
  runtime: ProxyRuntime;
  keyAccess?: KeyAccess;
  now: number;
}

/**
 * Decides whether an upgrade request may become a realtime session, in the order HTTP requests are
 * checked: Host, path, model, then the caller's key. Nothing is sent upstream before this says yes.
 */
export function planSession(req: IncomingMessage, context: PlanContext): Plan {
  const requestId = newRequestId();
  const refuse = (reply: HttpReply, deployment: Deployment | null = null, model = ''): Plan => ({
    ok: false,
    reply,
    deployment,
    model,
  });
  if (!isAllowedHost(req.headers.host, context.runtime.allowedHosts)) {
    const message = `Host "${req.headers.host ?? ''}" is not allowed; add it to server.allowedHosts to serve it`;
    return refuse(errorReply(new ApexError('unauthorized_host', message), requestId));
  }
  const url = new URL(req.url ?? '/', 'http://apex.invalid');
  if (!REALTIME_PATHS.has(url.pathname)) return refuse(notFoundReply());
  const invalid = invalidHandshake(req);
  if (invalid) return refuse(errorReply(new ApexError('invalid_request', invalid), requestId));
  const resolved = resolveModel(url.searchParams, context.runtime, requestId);
  if (!resolved.ok) return refuse(resolved.reply, null, resolved.model);
  const { deployment, model } = resolved;
  const protocols = parseProtocols(req.headers['sec-websocket-protocol']);
  const credentials = callerCredentials(req.headers, protocols, deployment.provider);
  const access = checkKey(credentials, deployment, model, context, requestId);
  if (!access.ok) return refuse(access.reply, deployment, model);
  const upstreamHeaders = upstreamHandshakeHeaders(req.headers, protocols, credentials, deployment.provider);
  if (carriesVirtualKey(upstreamHeaders)) {
    const message =
      'An Apex virtual key cannot be sent to a provider; configure the provider\u2019s own apiKey.';
    return refuse(errorReply(new ApexError('invalid_request', message), requestId), deployment, model);
  }
  const key = access.key;
  return {
    ok: true,
    plan: {
      requestId,
      modelRequested: model,
      deployment,
      key,
      keyId: key ? key.id : callerKeyId(credentials.authHeaders),
      project: headerText(req.headers['x-apex-project']) ?? key?.project ?? deployment.project,
      route: headerText(req.headers['x-apex-route']) ?? model,
      protocol: clientProtocol(protocols),
      upstreamUrl: upstreamUrl(deployment, url.searchParams),
      upstreamHeaders,
    },
  };
}

/** ws would refuse these later with a bare 400; refusing first keeps the upstream from being opened. */
function invalidHandshake(req: IncomingMessage): string | null {
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return 'expected "Upgrade: websocket"';
  const key = req.headers['sec-websocket-key'];
  if (!key || !/^[+/0-9A-Za-z]{22}==$/.test(key)) return 'missing or invalid Sec-WebSocket-Key';
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'unsupported Sec-WebSocket-Version (use 13)';
  return null;
}

type Resolved =
  { ok: true; deployment: Deployment; model: string } | { ok: false; reply: HttpReply; model: string };

/** Azure clients name their deployment instead of a model; either routes the same way. */
function resolveModel(query: URLSearchParams, runtime: ProxyRuntime, requestId: string): Resolved {
  const model = query.get('model') ?? query.get('deployment') ?? '';
  const fail = (error: ApexError): Resolved => ({ ok: false, reply: errorReply(error, requestId), model });
  if (model === '') {
    return fail(
      new ApexError('invalid_request', 'the "model" query parameter is required (e.g. ?model=gpt-realtime)', {
        param: 'model',
      }),
    );
  }
  const deployment = runtime.router.resolve(model);
  if (!deployment) return fail(modelNotFound(model, runtime));
  if (NO_REALTIME.has(deployment.provider.kind)) {
    const message =
      `The model "${model}" is served by provider "${deployment.providerName}" (${deployment.provider.kind}), ` +
      'which has no realtime WebSocket API; route it to an OpenAI, Azure OpenAI or OpenAI-compatible provider.';
    return fail(new ApexError('invalid_request', message, { param: 'model' }));
  }
  return { ok: true, deployment, model };
}

type KeyCheck = { ok: true; key: VirtualKey | null } | { ok: false; reply: HttpReply };

/** Authenticate and admit as for an HTTP request; a session is admitted once, at its start. */
function checkKey(
  credentials: CallerCredentials,
  deployment: Deployment,
  model: string,
  context: PlanContext,
  requestId: string,
): KeyCheck {
  const access = context.keyAccess;
  if (!access) {
    if (!credentials.virtual) return { ok: true, key: null };
    const message =
      'This proxy has no virtual keys configured; an Apex key (sk-apex-...) cannot be used here.';
    return { ok: false, reply: errorReply(new ApexError('invalid_request', message), requestId) };
  }
  const authenticated = access.authenticate(credentials.authHeaders);
  if (!authenticated.ok) return { ok: false, reply: refusalReply(authenticated, requestId) };
  const key = authenticated.key;
  if (!key) return { ok: true, key: null };
  if (deployment.provider.apiKey === undefined) {
    const message =
      `Provider "${deployment.providerName}" has no apiKey configured, so a virtual key cannot be used ` +
      'for it: Apex never forwards its own keys. Configure the provider\u2019s apiKey, or call with the provider key.';
    return { ok: false, reply: errorReply(new ApexError('invalid_request', message), requestId) };
  }
  const admission = access.admit(key, { model, estimatedTokens: 0, estimatedCostNanos: 0, now: context.now });
  if (!admission.ok) return { ok: false, reply: refusalReply(admission, requestId) };
  return { ok: true, key };
}

function headerText(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? null : first;
}
