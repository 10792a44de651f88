import type { ApiFlavor } from '../contracts/usage.ts';
import type { ProxyRuntime } from './runtime.ts';

/**
 * GET /v1/models in the caller's own format, listing the models a client can
 * call through that API (translation between APIs comes with provider adapters).
 */
export function modelsListBody(runtime: ProxyRuntime, api: ApiFlavor): string {
  const models = runtime.router.listModels().filter((model) => {
    const kind = runtime.config.providers[model.provider]?.kind;
    return (kind === 'anthropic') === (api === 'anthropic');
  });
  if (api === 'anthropic') {
    const createdAt = new Date(runtime.loadedAt * 1000).toISOString();
    const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.id, created_at: createdAt }));
    return JSON.stringify({
      data,
      has_more: false,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    });
  }
  const data = models.map((m) => ({
    id: m.id,
    object: 'model',
    created: runtime.loadedAt,
    owned_by: m.provider,
  }));
  return JSON.stringify({ object: 'list', data });
}
