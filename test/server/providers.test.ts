import { describe, expect, it } from 'vitest';
import { configSchema } from '../../proxy/config/schema.ts';
import { describeProviders } from '../../server/control/providers.ts';

describe('describeProviders', () => {
  it('shows at most the last four characters of a long key, and nothing of a short one', () => {
    const config = configSchema.parse({
      providers: {
        openai: { kind: 'openai', apiKey: 'sk-test-0123456789abcdef' },
        local: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'short' },
        passthrough: { kind: 'anthropic' },
      },
      models: [
        { name: 'gpt-4o', provider: 'openai' },
        { name: 'llama3', provider: 'local' },
      ],
    });
    const providers = describeProviders(config);
    expect(providers).toEqual([
      {
        name: 'openai',
        kind: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        keySource: 'config',
        keyHint: '…cdef',
        models: ['gpt-4o'],
      },
      {
        name: 'local',
        kind: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:11434/v1',
        keySource: 'config',
        keyHint: null,
        models: ['llama3'],
      },
      {
        name: 'passthrough',
        kind: 'anthropic',
        baseUrl: 'https://api.anthropic.com',
        keySource: 'caller',
        keyHint: null,
        models: [],
      },
    ]);
    expect(JSON.stringify(providers)).not.toContain('0123456789');
  });
});
