import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../../server/serve.ts';
import { usageReport } from '../../server/usage-report.ts';
import { openaiHandler } from '../mocks/openai.ts';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.ts';

let dir: string;
let upstream: MockUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('apex serve (in process)', () => {
  it('commits every proxied request to the store and reports it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apex-serve-'));
    upstream = await startMockUpstream(
      openaiHandler({ usage: { prompt: 2000, cached: 1500, completion: 300 } }),
    );
    const config = join(dir, 'apex.yaml');
    writeFileSync(
      config,
      `providers:\n  openai: { kind: openai, baseUrl: "${upstream.url}/v1", apiKey: "\${APEX_TEST_KEY:-k}" }\n` +
        `models:\n  - { name: gpt-4o, provider: openai }\n`,
    );
    const lines: string[] = [];
    const running = await serve({
      port: 0,
      controlPort: 0,
      host: '127.0.0.1',
      dataDir: dir,
      configFile: config,
      demoRate: 0,
      logRequests: true,
      logLevel: 'silent',
      print: (line) => lines.push(line),
    });
    expect(running.demo).toBe(false);
    const client = new OpenAI({ baseURL: `${running.proxy.url}/v1`, apiKey: 'client', maxRetries: 0 });
    for (let i = 0; i < 5; i++) {
      await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: `q${i}` }],
      });
    }
    const metrics = await (await fetch(`${running.proxy.url}/metrics`)).text();
    expect(metrics).toContain('apex_usage_events_committed_total');
    await running.close();
    const db = new Database(running.dbFile, { readonly: true });
    const totals = db.prepare('SELECT COUNT(*) AS n, SUM(cost_nanos) AS cost FROM usage_events').get() as {
      n: number;
      cost: number;
    };
    db.close();
    expect(totals).toEqual({ n: 5, cost: 5 * 6_125_000 });
    expect(lines[0]).toMatch(/^Netra Apex proxy listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.filter((line) => line.includes('gpt-4o') && line.includes('$0.006125'))).toHaveLength(5);
    const report = usageReport(running.dbFile);
    expect(report).toMatch(/openai\s+gpt-4o\s+5\s+0\s+10,000\s+7,500\s+1,500\s+\$0\.030625/);
  });
});
