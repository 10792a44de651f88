import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSince } from '../../server/usage-report.ts';

// The sources, not bin/apex.js: that runs the last build, which may be older than the code under test.
const APEX = join(import.meta.dirname, '..', '..', 'server', 'main.ts');
let dir: string;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function apex(args: string[]) {
  return spawnSync(process.execPath, [APEX, ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('the apex command', () => {
  it('serve with no config runs the demo providers; usage shows the priced requests', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apex-cli-'));
    const child = spawn(
      process.execPath,
      [APEX, 'serve', '--port', '0', '--control-port', '0', '--data-dir', dir, '--demo-rate', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${output}`)), 15_000);
      child.stdout.on('data', () => {
        const match = /listening on (\S+)/.exec(output);
        if (match && output.includes('health:')) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect(output).toContain('mode:      demo');
    // No injected failure: a retried request would be counted twice below.
    const client = new OpenAI({
      baseURL: `${url}/v1`,
      apiKey: 'no-key-needed',
      maxRetries: 3,
      defaultHeaders: { 'x-simulator-fail': 'none' },
    });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello' }],
      max_tokens: 20,
    });
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/gpt-4o-mini\s+chat/);
    const usage = apex(['usage', '--data-dir', dir, '--demo']);
    expect(usage.status).toBe(0);
    expect(usage.stdout).toMatch(/openai\s+gpt-4o-mini\s+1\s/);
    expect(usage.stdout).toMatch(/total\s+1\s+\$0\.\d{6}/);
  });

  it('check-config validates a file and explains what is wrong', () => {
    dir = mkdtempSync(join(tmpdir(), 'apex-cli-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'providers:\n  o: { kind: openai }\nmodels:\n  - { name: gpt-4o, provider: o }\n');
    expect(apex(['check-config', good]).stdout).toContain('ok (1 providers, 1 models)');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'providers: {}\nmodels:\n  - { name: x, provider: nope }\n');
    const result = apex(['check-config', bad]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('unknown provider "nope"');
  });

  it('usage on an empty data directory says what to do', () => {
    dir = mkdtempSync(join(tmpdir(), 'apex-cli-'));
    expect(apex(['usage', '--data-dir', dir]).stdout).toContain('Run `apex serve` first');
  });

  it('parses --since durations and rejects others', () => {
    expect(parseSince('30m')).toBe(1_800_000);
    expect(parseSince('7d')).toBe(604_800_000);
    expect(() => parseSince('yesterday')).toThrow(/30m, 24h or 7d/);
  });
});
