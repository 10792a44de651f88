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

  it('says where a Bedrock provider’s AWS credentials come from, hinting the access key id only', () => {
    const config = configSchema.parse({
      providers: {
        chain: { kind: 'bedrock', region: 'us-west-2' },
        keyed: {
          kind: 'bedrock',
          region: 'eu-central-1',
          accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
      },
      models: [{ name: 'nova', provider: 'chain', model: 'amazon.nova-lite-v1:0' }],
    });
    const providers = describeProviders(config);
    expect(providers).toEqual([
      {
        name: 'chain',
        kind: 'bedrock',
        baseUrl: 'https://bedrock-runtime.us-west-2.amazonaws.com',
        keySource: 'aws-default-chain',
        keyHint: null,
        models: ['nova'],
      },
      {
        name: 'keyed',
        kind: 'bedrock',
        baseUrl: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
        keySource: 'config',
        keyHint: '…MPLE',
        models: [],
      },
    ]);
    expect(JSON.stringify(providers)).not.toContain('wJalrXUtnFEMI');
  });
});
