import type { ProviderInfo } from '../../contracts/control-api.ts';
import type { ApexConfig } from '../../proxy/config/schema.ts';

/** Keys shorter than this show no hint at all: four characters of an eight-character key is too much. */
const MIN_KEY_FOR_HINT = 16;

/** Configured providers for the dashboard, with at most a key's last four characters. */
export function describeProviders(config: ApexConfig): ProviderInfo[] {
  return Object.entries(config.providers).map(([name, provider]) => ({
    name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    keySource: provider.apiKey ? 'config' : 'caller',
    keyHint:
      provider.apiKey && provider.apiKey.length >= MIN_KEY_FOR_HINT ? `…${provider.apiKey.slice(-4)}` : null,
    models: config.models.filter((m) => m.provider === name).map((m) => m.name),
  }));
}
