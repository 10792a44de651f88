import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAICompatibleEmbedder } from '../../../../proxy/optimizers/semantic/openai-embedder.ts';

interface Seen {
  auth: string | undefined;
  body: { model: string; input: string[]; encoding_format: string };
}

const seen: Seen[] = [];
let server: Server;
let baseUrl: string;

async function readJson(req: IncomingMessage): Promise<Seen['body']> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString()) as Seen['body'];
}

beforeAll(async () => {
  // Speaks the OpenAI embeddings wire format; answers items in reverse order to test index sorting.
  server = createServer(async (req, res) => {
    const body = await readJson(req);
    seen.push({ auth: req.headers['authorization'], body });
    if (body.model === 'broken') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }),
      );
      return;
    }
    if (body.model === 'slow') return void setTimeout(() => res.end('{}'), 500);
    const data = body.input.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: [text.length, 1, 0],
    }));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: data.reverse(), model: body.model, usage: {} }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('OpenAICompatibleEmbedder', () => {
  it('posts the wire format in batches and returns normalized vectors in input order', async () => {
    seen.length = 0;
    const embedder = new OpenAICompatibleEmbedder({
      baseUrl,
      apiKey: 'sk-test',
      model: 'e',
      timeoutMs: 2000,
      batchSize: 2,
    });
    const vectors = await embedder.embed(['a', 'bb', 'ccc']);
    expect(vectors.map((v) => Math.hypot(...v))).toEqual([1, 1, 1].map((x) => expect.closeTo(x, 6)));
    expect(vectors.map((v) => v[0]! / v[1]!)).toEqual([1, 2, 3].map((x) => expect.closeTo(x, 5)));
    expect(seen.map((s) => s.body.input)).toEqual([['a', 'bb'], ['ccc']]);
    expect(seen[0]).toMatchObject({ auth: 'Bearer sk-test', body: { model: 'e', encoding_format: 'float' } });
    expect(embedder.dimensions).toBe(3);
  });

  it('keeps each vector with its own input when the server reorders items', async () => {
    seen.length = 0;
    const embedder = new OpenAICompatibleEmbedder({ baseUrl, model: 'e', timeoutMs: 2000 });
    const [x, yy] = await embedder.embed(['x', 'yy']);
    expect(x![0]! / x![1]!).toBeCloseTo(1, 5);
    expect(yy![0]! / yy![1]!).toBeCloseTo(2, 5);
    expect(seen[0]?.auth).toBeUndefined();
  });

  it('reports the status and the provider message on an error answer', async () => {
    const embedder = new OpenAICompatibleEmbedder({ baseUrl, model: 'broken', timeoutMs: 2000 });
    await expect(embedder.embed(['a'])).rejects.toThrow(/answered 401: Incorrect API key provided/);
  });

  it('times out with a clear message', async () => {
    const embedder = new OpenAICompatibleEmbedder({ baseUrl, model: 'slow', timeoutMs: 50 });
    await expect(embedder.embed(['a'])).rejects.toThrow(/timed out after 50 ms/);
  });
});
