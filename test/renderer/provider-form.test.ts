import { describe, expect, it } from 'vitest';
import { addProviderRequest } from '../../contracts/control-api.ts';
import { PROVIDER_KINDS } from '../../contracts/providers.ts';
import {
  EMPTY_FORM,
  fieldsFor,
  KIND_LABELS,
  toRequest,
} from '../../renderer/src/pages/providers/provider-form.ts';
import { KEY_SOURCE_LABELS } from '../../renderer/src/pages/providers/key-source.ts';

const keysOf = (kind: Parameters<typeof fieldsFor>[0]) => fieldsFor(kind).map((field) => field.key);

describe('the add-provider form’s fields', () => {
  it('asks Bedrock for a region (required) and two optional key variables, and no API key', () => {
    expect(keysOf('bedrock')).toEqual([
      'name',
      'region',
      'baseUrl',
      'accessKeyIdEnv',
      'secretAccessKeyEnv',
      'models',
    ]);
    const byKey = new Map(fieldsFor('bedrock').map((field) => [field.key, field]));
    expect(byKey.get('region')).toMatchObject({ label: 'Region', required: true, hint: /us-east-1/ });
    expect(byKey.get('baseUrl')?.required).toBeFalsy();
    expect(byKey.get('baseUrl')?.hint).toMatch(/^Optional: overrides/);
    for (const key of ['accessKeyIdEnv', 'secretAccessKeyEnv'] as const) {
      expect(byKey.get(key)?.required).toBeFalsy();
      expect(byKey.get(key)?.hint).toMatch(
        /AWS default credential chain.*~\/\.aws profiles, SSO, instance role/,
      );
    }
  });

  it('keeps the API-key form for every other kind, with no AWS fields', () => {
    for (const kind of PROVIDER_KINDS.filter((k) => k !== 'bedrock')) {
      expect(keysOf(kind), kind).toEqual(['name', 'baseUrl', 'apiKeyEnv', 'models']);
    }
  });

  it('labels every kind and every key source', () => {
    expect(Object.keys(KIND_LABELS).sort()).toEqual([...PROVIDER_KINDS].sort());
    expect(KIND_LABELS.bedrock).toBe('AWS Bedrock');
    expect(KEY_SOURCE_LABELS['aws-default-chain']).toBe('AWS credentials (default chain)');
  });
});

describe('the add-provider form as an API request', () => {
  const filled = {
    ...EMPTY_FORM,
    name: ' aws ',
    baseUrl: ' ',
    apiKeyEnv: 'LEFT_OVER_KEY',
    region: ' us-east-1 ',
    accessKeyIdEnv: ' AWS_ACCESS_KEY_ID ',
    secretAccessKeyEnv: 'AWS_SECRET_ACCESS_KEY',
    models: 'amazon.nova-lite-v1:0, us.anthropic.claude-3-5-haiku-20241022-v1:0',
  };

  it('sends Bedrock’s region and key variables, trimmed, and never a hidden API-key field', () => {
    const request = toRequest({ ...filled, kind: 'bedrock' });
    expect(request).toEqual({
      name: 'aws',
      kind: 'bedrock',
      region: 'us-east-1',
      accessKeyIdEnv: 'AWS_ACCESS_KEY_ID',
      secretAccessKeyEnv: 'AWS_SECRET_ACCESS_KEY',
      models: ['amazon.nova-lite-v1:0', 'us.anthropic.claude-3-5-haiku-20241022-v1:0'],
    });
    expect(addProviderRequest.safeParse(request).success).toBe(true);
  });

  it('leaves empty key variables out, which the API takes as the AWS default chain', () => {
    const request = toRequest({ ...filled, kind: 'bedrock', accessKeyIdEnv: '', secretAccessKeyEnv: '  ' });
    expect(request).toEqual({
      name: 'aws',
      kind: 'bedrock',
      region: 'us-east-1',
      models: ['amazon.nova-lite-v1:0', 'us.anthropic.claude-3-5-haiku-20241022-v1:0'],
    });
    expect(addProviderRequest.safeParse(request).success).toBe(true);
  });

  it('drops the AWS fields when the user switches to another kind', () => {
    const request = toRequest({ ...filled, kind: 'groq', baseUrl: 'https://api.groq.com/openai/v1' });
    expect(request).toEqual({
      name: 'aws',
      kind: 'groq',
      baseUrl: 'https://api.groq.com/openai/v1',
      apiKeyEnv: 'LEFT_OVER_KEY',
      models: ['amazon.nova-lite-v1:0', 'us.anthropic.claude-3-5-haiku-20241022-v1:0'],
    });
    expect(addProviderRequest.safeParse(request).success).toBe(true);
  });
});
