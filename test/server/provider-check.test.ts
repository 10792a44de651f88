import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../proxy/config/schema.ts';
import { checkProvider } from '../../server/control/provider-check.ts';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A provider stand-in that records what it was sent and answers as told. */
async function upstream(
  status: number,
  body: unknown,
  seen: IncomingHttpHeaders[] = [],
  paths: string[] = [],
): Promise<string> {
  const server = createServer((req, res) => {
    seen.push(req.headers);
    paths.push(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function provider(kind: string, baseUrl: string, apiKey?: string) {
  const config = configSchema.parse({
    providers: { p: { kind, baseUrl, ...(apiKey ? { apiKey } : {}) } },
    models: [{ name: 'm', provider: 'p' }],
  });
  const found = config.providers['p'];
  if (!found) throw new Error('no provider');
  return found;
}

describe('checkProvider (test the connection)', () => {
  it('lists an OpenAI-compatible provider’s models with its bearer key', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const paths: string[] = [];
    const base = await upstream(200, { object: 'list', data: [{ id: 'a' }, { id: 'b' }] }, seen, paths);
    const result = await checkProvider(provider('openai-compatible', `${base}/v1`, 'sk-check-0123456789'));
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      models: 2,
      message: 'connected; 2 models available',
    });
    expect(paths).toEqual(['/v1/models']);
    expect(seen[0]?.authorization).toBe('Bearer sk-check-0123456789');
  });

  it('uses x-api-key and anthropic-version for Anthropic', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const paths: string[] = [];
    const base = await upstream(200, { data: [{ id: 'claude' }], has_more: false }, seen, paths);
    const result = await checkProvider(provider('anthropic', base, 'sk-ant-0123456789'));
    expect(result.ok).toBe(true);
    expect(paths).toEqual(['/v1/models']);
    expect(seen[0]?.['x-api-key']).toBe('sk-ant-0123456789');
    expect(seen[0]?.['anthropic-version']).toBeTruthy();
    expect(seen[0]?.authorization).toBeUndefined();
  });

  it('reports the provider’s own error message for a rejected key', async () => {
    const base = await upstream(401, {
      error: { message: 'Incorrect API key provided', type: 'invalid_request_error' },
    });
    const result = await checkProvider(provider('openai-compatible', `${base}/v1`, 'sk-wrong-0123456789'));
    expect(result).toMatchObject({
      ok: false,
      status: 401,
      models: null,
      message: 'Incorrect API key provided',
    });
  });

  it('says when the provider cannot be reached, or answers too slowly', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const base = `http://127.0.0.1:${port}/v1`;
    const unreachable = await checkProvider(provider('openai-compatible', base, 'sk-x-0123456789abcd'));
    expect(unreachable).toMatchObject({ ok: false, status: null });
    expect(unreachable.message).toBe(`could not reach ${base}: ECONNREFUSED`);
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    const slow = await checkProvider(provider('openai-compatible', url, 'sk-x-0123456789abcd'), 200);
    expect(slow.message).toMatch(/no answer within 0.2 s/);
  });

  it('has nothing to test when callers bring their own keys', async () => {
    const result = await checkProvider(provider('openai', 'https://api.openai.com/v1'));
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.message).toMatch(/caller's own key/);
  });
});
