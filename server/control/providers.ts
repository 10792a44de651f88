import type { KeySource, ProviderInfo } from '../../contracts/control-api.ts';
import type { ApexConfig, ProviderConfig } from '../../proxy/config/schema.ts';

/** Keys shorter than this show no hint at all: four characters of an eight-character key is too much. */
const MIN_KEY_FOR_HINT = 16;

/** Configured providers for the dashboard, with at most a key's last four characters. */
export function describeProviders(config: ApexConfig): ProviderInfo[] {
  return Object.entries(config.providers).map(([name, provider]) => ({
    name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    keySource: keySourceOf(provider),
    keyHint: hintOf(provider.kind === 'bedrock' ? provider.accessKeyId : provider.apiKey),
    models: config.models.filter((m) => m.provider === name).map((m) => m.name),
  }));
}

/** Bedrock never passes callers' keys on: without keys in the config the AWS SDK finds its own. */
function keySourceOf(provider: ProviderConfig): KeySource {
  if (provider.kind === 'bedrock') return provider.accessKeyId ? 'config' : 'aws-default-chain';
  return provider.apiKey ? 'config' : 'caller';
}

function hintOf(key: string | undefined): string | null {
  return key && key.length >= MIN_KEY_FOR_HINT ? `…${key.slice(-4)}` : null;
}
