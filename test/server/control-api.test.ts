import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  OverviewResponse,
  ProvidersResponse,
  RequestsResponse,
  StatusResponse,
} from '../../contracts/control-api.ts';
import type { WasteReport } from '../../contracts/waste-report.ts';
import type { RunningServe } from '../../server/serve.ts';
import { serveQuietly } from '../support/quiet-serve.ts';
import { tmpdir } from 'node:os';

const TOKEN = 'test-token-0123456789';
const SAMPLE = fileURLToPath(new URL('../../resources/samples/aws-cur2.csv', import.meta.url));
let running: RunningServe;
let base: URL;
// Not freshDir(): that is emptied after each test, and this server lives for the whole file.
const dataDir = mkdtempSync(join(tmpdir(), 'apex-control-'));

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// node:http rather than fetch: fetch will not send a forged Host header.
function call(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, base),
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  running = await serveQuietly({ controlToken: TOKEN, dataDir });
  base = new URL(running.control?.url ?? '');
});
afterAll(async () => {
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('control API security', () => {
  it('refuses a missing or wrong token with 401', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${TOKEN}x` },
    ];
    for (const headers of attempts) {
      const reply = await call('/api/status', { headers });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await call('/api/status?token=nope')).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const reply = await call('/api/status', { headers: { ...auth, host: `evil.example:${base.port}` } });
    expect(reply.status).toBe(421);
    expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
    expect((await call('/', { headers: { host: 'evil.example' } })).status).toBe(421);
  });

  it('keeps CORS closed: cross-origin requests are refused and no Access-Control header is sent', async () => {
    const cross = await call('/api/status', { headers: { ...auth, origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    const preflight = await call('/api/status', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(preflight.status).toBe(403);
    const same = await call('/api/status', { headers: { ...auth, origin: `http://${base.host}` } });
    expect(same.status).toBe(200);
    for (const reply of [cross, preflight, same]) {
      expect(Object.keys(reply.headers).filter((h) => h.startsWith('access-control'))).toEqual([]);
    }
    expect(same.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  });

  it('prints the dashboard URL with its token', () => {
    expect(running.control?.dashboardUrl).toBe(`${base.origin}/?token=${TOKEN}`);
  });
});

describe('control API', () => {
  it('answers status, overview and recent requests with the token', async () => {
    const status = JSON.parse((await call('/api/status', { headers: auth })).body) as StatusResponse;
    expect(status).toMatchObject({ demo: true, proxyUrl: running.proxy.url });
    const reply = await call('/api/usage/overview?days=7', { headers: auth });
    expect(reply.status, reply.body).toBe(200);
    const overview = JSON.parse(reply.body) as OverviewResponse;
    expect(overview.totals).toEqual({ requests: 0, errors: 0, costNanos: 0 });
    const recent = JSON.parse(
      (await call(`/api/usage/requests?limit=5&token=${TOKEN}`)).body,
    ) as RequestsResponse;
    expect(recent.requests).toEqual([]);
  });

  it('lists providers without ever returning a key', async () => {
    const reply = await call('/api/providers', { headers: auth });
    const { providers } = JSON.parse(reply.body) as ProvidersResponse;
    expect(providers.map((p) => p.name).sort()).toEqual(['anthropic', 'openai']);
    for (const provider of providers) expect(provider.models.length).toBeGreaterThan(0);
    expect(reply.body).not.toMatch(/sk-|apiKey/);
  });

  it('validates inputs at the edge with a clear 400', async () => {
    const reply = await call('/api/usage/overview?days=0', { headers: auth });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringMatching(/^days: /) },
    });
    const evidence = await call('/api/evidence', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"filter":{}}',
    });
    expect(evidence.status).toBe(400);
    expect((await call('/api/nothing', { headers: auth })).status).toBe(404);
  });

  it('imports an uploaded export, then reports its findings and their evidence', async () => {
    const upload = await call('/api/imports', {
      method: 'POST',
      headers: { ...auth, 'x-apex-filename': '../../etc/aws-cur2.csv' },
      body: readFileSync(SAMPLE),
    });
    expect(upload.status, upload.body).toBe(200);
    expect(JSON.parse(upload.body)).toMatchObject({
      status: 'imported',
      rowsImported: 98,
      format: 'aws-cur2',
    });
    const report = JSON.parse((await call('/api/report', { headers: auth })).body) as WasteReport;
    const idle = report.findings.find((f) => f.kind === 'idle-gpu');
    expect(idle?.savingNanos).toBe(11_011_593_600_000);
    expect(idle?.evidence.sample[0]?.file).toMatch(new RegExp(`imports\\${join('/')}.*aws-cur2\\.csv$`));
    const evidence = await call('/api/evidence', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: idle?.evidence.filter, offset: 10, limit: 10 }),
    });
    expect(JSON.parse(evidence.body).rows).toHaveLength(4);
  });

  it('streams proxied requests live over server-sent events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request(new URL(`/api/live?token=${TOKEN}`, base), (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('event: usage')) {
            resolve(text);
            req.destroy();
          }
        });
      });
      req.on('error', (err) => (err.message.includes('aborted') ? undefined : reject(err)));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const proxied = await fetch(`${running.proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(proxied.status).toBeLessThan(600);
    const text = await received;
    const data = text.split('\n').find((line) => line.startsWith('data: '));
    expect(JSON.parse(data?.slice(6) ?? '{}')).toMatchObject({ modelRequested: 'gpt-4.1-mini' });
  });

  it('serves the dashboard page (or how to build it) without the token', async () => {
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect((await call('/', { method: 'POST' })).status).toBe(405);
  });
});
