/**
 * AWS Bedrock as an UpstreamTarget. Forward prepares a Converse body and a REST path
 * (/model/{modelId}/converse or /converse-stream) like for any provider; send() makes that call with
 * the AWS SDK (SigV4 signing, the credential chain, the binary event stream are the SDK's) and
 * answers like an HTTP response: Converse JSON, ConverseStream events as SSE, errors as Bedrock's
 * {"message"} with their status and x-amzn-errortype. The caller's headers are not sent: the SDK
 * builds its own request, so no client credential can reach AWS.
 */
import type { IncomingMessage } from 'node:http';
import {
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseCommandInput,
  type ConverseStreamCommandInput,
} from '@aws-sdk/client-bedrock-runtime';
import type { ProviderConfig } from '../config/schema.ts';
import { CancelledError, type UpstreamRequest, type UpstreamTarget } from './agents.ts';
import { BedrockClients, clientKey } from './bedrock-client.ts';
import {
  errorMessage,
  errorMessageFor,
  eventStreamMessage,
  jsonMessage,
  transportFailure,
} from './bedrock-response.ts';
import { parseBedrockPath, toSdkShape } from './bedrock-wire.ts';

export { defaultBedrockEndpoint } from './bedrock-client.ts';

/** Clients by owner (the proxy's UpstreamAgents), so two proxies in one process share no pool. */
const registries = new WeakMap<object, BedrockClients>();

function clientsOf(owner: object): BedrockClients {
  let clients = registries.get(owner);
  if (!clients) {
    clients = new BedrockClients();
    registries.set(owner, clients);
  }
  return clients;
}

export function bedrockTarget(owner: object, provider: ProviderConfig, providerName: string): UpstreamTarget {
  const clients = clientsOf(owner);
  const key = clientKey(provider);
  return {
    origin: new URL(provider.baseUrl).origin,
    basePath: '',
    send: (request) => sendConverse(clients.acquire(provider, key), request, providerName),
  };
}

/** Closes the Bedrock clients of providers a reload removed or changed. */
export function retainBedrockClients(owner: object, providers: Iterable<ProviderConfig>): void {
  registries.get(owner)?.retainOnly(providers);
}

async function sendConverse(
  lease: ReturnType<BedrockClients['acquire']>,
  request: UpstreamRequest,
  providerName: string,
): Promise<IncomingMessage> {
  const { cancellation } = request;
  const call = parseBedrockPath(request.path);
  const input = call && parseBody(request.body, call.modelId);
  if (cancellation.cancelled) {
    lease.release();
    throw new CancelledError('the client closed the connection');
  }
  if (!call || !input) {
    lease.release();
    const problem = call
      ? 'the request body is not a JSON object'
      : `no Bedrock operation at ${request.path}`;
    return errorMessage(400, 'ValidationException', problem, undefined);
  }
  const controller = new AbortController();
  cancellation.request = {
    destroy: (error?: Error) => controller.abort(error ?? new CancelledError('cancelled')),
  };
  const options = { abortSignal: controller.signal };
  try {
    if (!call.stream) {
      const output = await lease.client.send(new ConverseCommand(input), options);
      lease.release();
      return jsonMessage(output);
    }
    const output = await lease.client.send(
      new ConverseStreamCommand(input as ConverseStreamCommandInput),
      options,
    );
    const message = eventStreamMessage(
      output.stream ?? emptyStream(),
      output.$metadata.requestId,
      lease.release,
    );
    // A relay that stops reading (the client left, a retry discarded the answer) ends the SDK call too.
    message.once('close', () => {
      if (!message.readableEnded) controller.abort(new CancelledError('the stream was abandoned'));
      lease.release();
    });
    return message;
  } catch (error) {
    lease.release();
    if (controller.signal.aborted) throw controller.signal.reason;
    return errorMessageFor(error, providerName) ?? Promise.reject(transportFailure(error));
  }
}

function parseBody(body: Buffer, modelId: string): ConverseCommandInput | null {
  try {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return null;
    return { ...(toSdkShape(json) as object), modelId } as ConverseCommandInput;
  } catch {
    return null;
  }
}

async function* emptyStream(): AsyncGenerator<never> {}
