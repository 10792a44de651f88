import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../proxy/simulator/server.ts';
import { startDemoTraffic, type DemoResult } from '../../proxy/simulator/traffic.ts';

interface Recorded {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

interface FakeUpstream {
  url: string;
  requests: Recorded[];
  server: Server;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A stand-in proxy: records each request and answers with the smallest valid reply. */
function answer(res: ServerResponse, body: Record<string, unknown>): void {
  if (body.stream === true) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('data: {"usage":{"prompt_tokens":3,"completion_tokens":2}}\n\ndata: [DONE]\n\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ usage: { prompt_tokens: 3, completion_tokens: 2 } }));
}

async function fakeUpstream(): Promise<FakeUpstream> {
  const requests: Recorded[] = [];
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text) as Record<string, unknown>;
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    answer(res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${port}`, requests, server, close };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

describe('demo traffic', () => {
  it('sends a plausible mix of apps, APIs and streaming modes, then stops cleanly', async () => {
    const upstream = await fakeUpstream();
    cleanups.push(upstream.close);
    const results: DemoResult[] = [];
    const traffic = startDemoTraffic({
      proxyUrl: `${upstream.url}/`,
      requestsPerSecond: 400,
      seed: 11,
      onResult: (r) => results.push(r),
    });
    await until(() => upstream.requests.length >= 150);
    await traffic.stop();
    const sent = upstream.requests.length;

    const apps = new Set(upstream.requests.map((request) => request.headers['x-apex-project']));
    expect(apps).toEqual(new Set(['support-bot', 'summarizer', 'classifier', 'indexer', 'ops-agent']));
    const paths = new Set(upstream.requests.map((request) => request.path));
    expect(paths).toEqual(
      new Set(['/v1/chat/completions', '/v1/messages', '/v1/embeddings', '/v1/responses']),
    );
    for (const request of upstream.requests) {
      expect(request.headers.authorization).toBe(
        `Bearer demo-key-${String(request.headers['x-apex-project'])}`,
      );
      if (request.path === '/v1/messages') expect(request.headers['anthropic-version']).toBe('2023-06-01');
    }
    const streamed = upstream.requests.filter((request) => request.body.stream === true).length;
    expect(streamed).toBeGreaterThan(sent * 0.1);
    expect(streamed).toBeLessThan(sent * 0.9);

    const bodies = upstream.requests.map((request) => JSON.stringify(request.body));
    expect(new Set(bodies).size).toBeLessThan(bodies.length);
    const support = upstream.requests.filter(
      (request) => request.headers['x-apex-project'] === 'support-bot',
    );
    const longest = Math.max(...support.map((request) => (request.body.messages as unknown[]).length));
    expect(longest).toBeGreaterThanOrEqual(3);
    const classifierModels = new Set(
      upstream.requests.filter((r) => r.headers['x-apex-project'] === 'classifier').map((r) => r.body.model),
    );
    expect([...classifierModels].every((model) => model === 'gpt-4.1' || model === 'claude-opus-4-5')).toBe(
      true,
    );

    expect(results.length).toBeGreaterThan(0);
    expect(results.every((result) => result.ok && result.status === 200)).toBe(true);
    expect(results.find((result) => result.usage)?.usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.requests.length).toBe(sent);
    expect(await openConnections(upstream.server)).toBe(0);
  });

  it('reports an unreachable proxy through onResult instead of throwing', async () => {
    const upstream = await fakeUpstream();
    await upstream.close();
    const results: DemoResult[] = [];
    const traffic = startDemoTraffic({
      proxyUrl: upstream.url,
      requestsPerSecond: 200,
      seed: 1,
      onResult: (r) => results.push(r),
    });
    cleanups.push(() => traffic.stop());
    await until(() => results.length >= 3);
    expect(results[0]).toMatchObject({ ok: false, status: 0, error: expect.any(String) });
  });

  it('stops immediately even with requests in flight', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => hanging.close(() => resolve())));
    const { port } = hanging.address() as AddressInfo;
    const results: DemoResult[] = [];
    const traffic = startDemoTraffic({
      proxyUrl: `http://127.0.0.1:${port}`,
      requestsPerSecond: 300,
      onResult: (r) => results.push(r),
    });
    await until(async () => (await openConnections(hanging)) >= 3);
    const started = performance.now();
    await traffic.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(results).toEqual([]);
    // The server notices the closed sockets a moment after the client side is gone.
    await until(async () => (await openConnections(hanging)) === 0, 2000);
  });

  it('drives the simulator end to end with realistic usage', async () => {
    const simulator = await startSimulator({ seed: 9, speed: 500, errorRate: 0 });
    cleanups.push(() => simulator.close());
    const results: DemoResult[] = [];
    const traffic = startDemoTraffic({
      proxyUrl: `${simulator.url}/v1`,
      requestsPerSecond: 300,
      seed: 9,
      onResult: (r) => results.push(r),
    });
    cleanups.push(() => traffic.stop());
    await until(() => results.length >= 120);
    await traffic.stop();
    expect(results.every((result) => result.ok)).toBe(true);
    expect(results.every((result) => result.usage && result.usage.inputTokens > 0)).toBe(true);
    expect(results.some((result) => (result.usage?.cachedInputTokens ?? 0) > 0)).toBe(true);
    expect(results.some((result) => result.streamed && result.ttftMs !== null)).toBe(true);
    const classifier = results.filter((result) => result.app === 'classifier');
    expect(classifier.every((result) => (result.usage?.outputTokens ?? 99) <= 5)).toBe(true);
  });
});
