import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, substituteEnv } from '../../proxy/config/env.ts';
import { loadConfigFile, parseConfigText } from '../../proxy/config/load.ts';
import { watchConfig } from '../../proxy/config/watch.ts';
import { openaiHandler } from '../mocks/openai.ts';
import { startHarness, type Harness } from '../support/apex-harness.ts';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.ts';

const YAML = `
providers:
  openai:
    kind: openai
    apiKey: \${TEST_OPENAI_KEY}
  ollama:
    kind: openai-compatible
    baseUrl: http://127.0.0.1:11434/v1/
models:
  - name: gpt-4o
    provider: openai
  - name: llama
    provider: ollama
    model: llama3.1:8b
    price: { input: "0.10", output: 0.2 }
prices:
  litellm: ./prices.json
`;

describe('config files', () => {
  it('substitutes ${ENV}, fills defaults and resolves relative paths', () => {
    const config = parseConfigText(YAML, '/etc/apex/apex.yaml', { TEST_OPENAI_KEY: 'sk-from-env' });
    expect(config.providers.openai).toMatchObject({
      apiKey: 'sk-from-env',
      baseUrl: 'https://api.openai.com/v1',
      streamUsage: true,
      connections: 256,
    });
    expect(config.providers.ollama!.baseUrl).toBe('http://127.0.0.1:11434/v1');
    expect(config.prices.litellm).toBe('/etc/apex/prices.json');
    expect(config.server.maxBodyBytes).toBe(32 * 1024 * 1024);
  });

  it('names a missing environment variable, and honors ${NAME:-default}', () => {
    expect(() => parseConfigText(YAML, 'apex.yaml', {})).toThrow(
      /environment variable not set: TEST_OPENAI_KEY \(at providers\.openai\.apiKey\)/,
    );
    const tricky = 'sk-a#b: c';
    const parsed = parseConfigText(YAML, 'apex.yaml', { TEST_OPENAI_KEY: tricky });
    expect(parsed.providers.openai!.apiKey).toBe(tricky);
    expect(substituteEnv('a ${NOPE:-fallback} b', {})).toBe('a fallback b');
    expect(() => substituteEnv('${A} ${B}', {})).toThrow(
      new ConfigError('environment variables not set: A, B'),
    );
  });

  it('reports schema problems with their path', () => {
    const noBaseUrl = `providers:\n  p: { kind: openai-compatible }\nmodels:\n  - { name: x, provider: p }\n`;
    expect(() => parseConfigText(noBaseUrl, 'bad.yaml', {})).toThrow(/providers\.p: baseUrl is required/);
    const unknownProvider = `providers:\n  p: { kind: openai }\nmodels:\n  - { name: x, provider: q }\n`;
    expect(() => parseConfigText(unknownProvider, 'bad.yaml', {})).toThrow(
      /models\.0\.provider: unknown provider "q" \(defined: p\)/,
    );
    expect(() => parseConfigText('providers: {}\nmodels: []\n', 'bad.yaml', {})).toThrow(ConfigError);
  });

  it('rejects unknown keys (a typo should not silently do nothing) and bad YAML', () => {
    expect(() => parseConfigText('providers: {}\nmodels: []\nmodles: []\n', 'a.yaml', {})).toThrow(
      /modles|models/,
    );
    expect(() => parseConfigText('providers: [\n', 'a.yaml', {})).toThrow(/not valid YAML/);
  });

  it('explains an unreadable file', async () => {
    await expect(loadConfigFile('/nonexistent/apex.yaml')).rejects.toThrow(/cannot read config/);
  });
});

describe('hot reload', () => {
  let harness: Harness | undefined;
  let second: MockUpstream | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await harness?.close();
    await second?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('applies a changed file to the next request and keeps the old config when the new one is invalid', async () => {
    harness = await startHarness();
    second = await startMockUpstream(openaiHandler({ content: 'from the second upstream' }));
    dir = mkdtempSync(join(tmpdir(), 'apex-config-'));
    const file = join(dir, 'apex.yaml');
    const configFor = (url: string) =>
      `providers:\n  openai: { kind: openai, baseUrl: "${url}/v1", apiKey: k }\nmodels:\n  - { name: gpt-4o, provider: openai }\n`;
    writeFileSync(file, configFor(harness.openaiUpstream.url));
    const errors: Error[] = [];
    let reloads = 0;
    const watcher = watchConfig(
      file,
      async ({ config }) => {
        await harness!.proxy.reload(config);
        reloads++;
      },
      (error) => errors.push(error),
      20,
    );
    try {
      const ask = async () =>
        (
          await harness!.openai.chat.completions.create({
            model: 'gpt-4o',
            messages: [{ role: 'user', content: 'x' }],
          })
        ).choices[0]?.message.content;
      expect(await ask()).toBe('Hello from the mock upstream.');
      writeFileSync(file, configFor(second.url));
      await expect.poll(() => reloads, { timeout: 3000 }).toBe(1);
      expect(await ask()).toBe('from the second upstream');
      writeFileSync(file, 'providers: {broken');
      await expect.poll(() => errors.length, { timeout: 3000 }).toBeGreaterThan(0);
      expect(await ask()).toBe('from the second upstream');
    } finally {
      watcher.close();
    }
  });
});

describe('the shipped example config', () => {
  it('is valid', async () => {
    const example = join(import.meta.dirname, '..', '..', 'resources', 'config', 'apex.example.yaml');
    const { config } = await loadConfigFile(example, { OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b' });
    expect(Object.keys(config.providers)).toEqual(['openai', 'anthropic', 'groq', 'ollama', 'lmstudio']);
    expect(config.providers['groq']!.baseUrl).toBe('https://api.groq.com/openai/v1');
    expect(config.models.find((m) => m.name === 'local-llama')).toMatchObject({ model: 'llama3.1:8b' });
  });
});
