// The Bedrock target on its own: error mapping, the client pool, and
// send() against the local mock (cancellation, timeouts, unreachable endpoints).
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfigText } from '../../proxy/config/load.ts';
import type { ProviderConfig } from '../../proxy/config/schema.ts';
import { CancelledError, UpstreamTimeoutError, type Cancellation } from '../../proxy/upstream/agents.ts';
import { bedrockTarget, retainBedrockClients } from '../../proxy/upstream/bedrock.ts';
import { BedrockClients, clientKey } from '../../proxy/upstream/bedrock-client.ts';
import { errorMessageFor, inBandException, transportFailure } from '../../proxy/upstream/bedrock-response.ts';
import { AWS_KEY, AWS_SECRET, REGION } from '../support/bedrock-harness.ts';
import { startBedrockMock, type BedrockMock } from '../support/bedrock-mock.ts';
import { verifySigV4 } from '../support/sigv4.ts';

async function text(message: IncomingMessage): Promise<string> {
  let out = '';
  for await (const chunk of message) out += String(chunk);
  return out;
}

/** An SDK service error as the SDK builds it: name, message, $metadata with the HTTP status. */
function serviceError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status, requestId: 'req-1' },
  });
}

describe('Bedrock error mapping', () => {
  it.each([
    ['ThrottlingException', 429],
    ['ValidationException', 400],
    ['AccessDeniedException', 403],
    ['ModelTimeoutException', 408],
    ['ServiceUnavailableException', 503],
    ['InternalServerException', 500],
    ['ModelErrorException', 424],
  ])('%s keeps status %i, Bedrock’s body and x-amzn-errortype', async (name, status) => {
    const message = errorMessageFor(serviceError(name, status, `${name} happened`), 'aws')!;
    expect(message.statusCode).toBe(status);
    expect(message.headers).toMatchObject({
      'x-amzn-errortype': name,
      'x-amzn-requestid': 'req-1',
      'content-type': 'application/json',
    });
    expect(JSON.parse(await text(message))).toEqual({ message: `${name} happened` });
  });

  it('makes missing credentials a 401 that names the provider and the fix', async () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const message = errorMessageFor(error, 'aws-prod')!;
    expect(message.statusCode).toBe(401);
    expect(JSON.parse(await text(message)).message).toBe(
      'Apex found no AWS credentials for Bedrock provider "aws-prod": Could not load credentials from any providers',
    );
  });

  it('leaves transport failures to the caller, SDK timeouts as Apex’s own', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(errorMessageFor(refused, 'aws')).toBeNull();
    expect(errorMessageFor(serviceError('Weird', 200, 'not an error status'), 'aws')).toBeNull();
    expect(transportFailure(refused)).toBe(refused);
    const idle = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    expect(transportFailure(idle)).toBeInstanceOf(UpstreamTimeoutError);
    const reset = Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    expect(transportFailure(reset)).toBe(reset);
  });

  it('turns a modeled stream exception into its in-band event, fields intact', () => {
    const error = Object.assign(new Error('Model stream failed.'), {
      name: 'ModelStreamErrorException',
      $fault: 'client',
      originalStatusCode: 500,
      originalMessage: 'boom',
    });
    expect(inBandException(error)).toBe(
      'event: modelStreamErrorException\ndata: {"originalStatusCode":500,"originalMessage":"boom","message":"Model stream failed."}\n\n',
    );
    expect(inBandException(new Error('socket hang up'))).toBeNull();
    expect(inBandException('not an error')).toBeNull();
  });
});

function provider(overrides: Record<string, unknown> = {}): ProviderConfig {
  const text = JSON.stringify({
    providers: {
      aws: {
        kind: 'bedrock',
        region: REGION,
        accessKeyId: AWS_KEY,
        secretAccessKey: AWS_SECRET,
        ...overrides,
      },
    },
    models: [{ name: 'm', provider: 'aws' }],
  });
  return parseConfigText(text, 't.json', {}).providers['aws']!;
}

describe('Bedrock client pool', () => {
  it('reuses one client per config and closes retired ones once idle', () => {
    const clients = new BedrockClients();
    const a = provider();
    const first = clients.acquire(a, clientKey(a));
    const second = clients.acquire(a, clientKey(a));
    expect(second.client).toBe(first.client);
    expect(clients.size).toBe(1);
    const destroy = vi.spyOn(first.client, 'destroy');
    clients.retainOnly([provider({ connections: 3 })]);
    expect(clients.size).toBe(0);
    first.release();
    first.release();
    expect(destroy).not.toHaveBeenCalled();
    second.release();
    expect(destroy).toHaveBeenCalledTimes(1);
    const idle = clients.acquire(a, clientKey(a));
    idle.release();
    const destroyIdle = vi.spyOn(idle.client, 'destroy');
    clients.retainOnly([]);
    expect(destroyIdle).toHaveBeenCalledTimes(1);
  });

  it('keys clients by a hash, never by the secret itself', () => {
    expect(clientKey(provider())).toMatch(/^[0-9a-f]{64}$/);
    expect(clientKey(provider())).not.toBe(clientKey(provider({ secretAccessKey: 'other' })));
  });
});

describe('Bedrock target send()', () => {
  let mock: BedrockMock | undefined;
  const owner = {};
  afterEach(async () => {
    retainBedrockClients(owner, []);
    await mock?.close();
    mock = undefined;
  });

  const body = Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
  const fresh = (): Cancellation => ({ cancelled: false, request: null });

  it('answers Converse as JSON with the SDK’s request id', async () => {
    mock = await startBedrockMock({ accessKeyId: AWS_KEY, region: REGION, secretAccessKey: AWS_SECRET });
    const target = bedrockTarget(owner, provider({ baseUrl: mock.url }), 'aws');
    expect(target).toMatchObject({ origin: mock.url, basePath: '' });
    const message = await target.send({
      path: '/model/m/converse',
      headers: {},
      body,
      cancellation: fresh(),
    });
    expect(message.statusCode).toBe(200);
    expect(message.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(await text(message))).toMatchObject({
      stopReason: 'end_turn',
      usage: { inputTokens: 25 },
    });
  });

  it('refuses a path or body it cannot send, and a call already cancelled', async () => {
    const target = bedrockTarget(owner, provider(), 'aws');
    const badPath = await target.send({
      path: '/v1/chat/completions',
      headers: {},
      body,
      cancellation: fresh(),
    });
    expect(badPath.statusCode).toBe(400);
    expect(JSON.parse(await text(badPath)).message).toContain('no Bedrock operation');
    const badBody = await target.send({
      path: '/model/m/converse',
      headers: {},
      body: Buffer.from('[]'),
      cancellation: fresh(),
    });
    expect(badBody.statusCode).toBe(400);
    const cancelled = { cancelled: true, request: null };
    await expect(
      target.send({ path: '/model/m/converse', headers: {}, body, cancellation: cancelled }),
    ).rejects.toBeInstanceOf(CancelledError);
  });

  it('aborts the SDK call when the caller cancels, and times out a silent model', async () => {
    mock = await startBedrockMock({ accessKeyId: AWS_KEY, region: REGION, secretAccessKey: AWS_SECRET });
    mock.setHandler(() => ({ kind: 'hang' }));
    const target = bedrockTarget(owner, provider({ baseUrl: mock.url, idleTimeoutMs: 300 }), 'aws');
    const cancellation = fresh();
    const pending = target.send({ path: '/model/m/converse', headers: {}, body, cancellation });
    await vi.waitFor(() => expect(cancellation.request).not.toBeNull());
    cancellation.request!.destroy(new CancelledError('the client closed the connection'));
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    await expect(
      target.send({ path: '/model/m/converse', headers: {}, body, cancellation: fresh() }),
    ).rejects.toBeInstanceOf(UpstreamTimeoutError);
  });

  it('is refused by the mock when signed with the wrong secret, or when the body changed after signing', async () => {
    mock = await startBedrockMock({ accessKeyId: AWS_KEY, region: REGION, secretAccessKey: AWS_SECRET });
    const target = bedrockTarget(owner, provider({ baseUrl: mock.url, secretAccessKey: 'wrong' }), 'aws');
    const denied = await target.send({ path: '/model/m/converse', headers: {}, body, cancellation: fresh() });
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['x-amzn-errortype']).toBe('UnrecognizedClientException');
    const signed = mock.requests.at(-1)!;
    expect(verifySigV4(signed, 'wrong')).toBe(true);
    expect(verifySigV4({ ...signed, body: Buffer.from('{}') }, 'wrong')).toBe(false);
    expect(
      verifySigV4({ ...signed, headers: { ...signed.headers, authorization: 'Bearer x' } }, 'wrong'),
    ).toBe(false);
  });

  it('rejects with the socket error when nothing listens', async () => {
    const target = bedrockTarget(owner, provider({ baseUrl: 'http://127.0.0.1:9' }), 'aws');
    const error = await target
      .send({ path: '/model/m/converse', headers: {}, body, cancellation: fresh() })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ECONNREFUSED');
  });
});
