/** GET /v1/models and GET /v1/models/{id}, in OpenAI's or Anthropic's shape. */
import type { ServerResponse } from 'node:http';
import { anthropicError, openaiError } from './errors.ts';
import { sendJson } from './http.ts';
import { modelsOf, resolveModel, type ModelSpec, type Provider } from './models.ts';

function openaiModel(model: ModelSpec) {
  return { id: model.id, object: 'model', created: model.created, owned_by: 'system' };
}

function anthropicModel(model: ModelSpec) {
  const createdAt = new Date(model.created * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { type: 'model', id: model.id, display_name: model.displayName, created_at: createdAt };
}

export function listModels(res: ServerResponse, provider: Provider): void {
  const models = modelsOf(provider);
  if (provider === 'openai') return sendJson(res, 200, { object: 'list', data: models.map(openaiModel) });
  const data = models.map(anthropicModel);
  sendJson(res, 200, {
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
  });
}

export function retrieveModel(res: ServerResponse, provider: Provider, id: string, requestId: string): void {
  const model = resolveModel(id, provider);
  if (model) return sendJson(res, 200, provider === 'openai' ? openaiModel(model) : anthropicModel(model));
  const reply =
    provider === 'openai'
      ? openaiError(
          404,
          `The model '${id}' does not exist`,
          'invalid_request_error',
          'model_not_found',
          'model',
        )
      : anthropicError(404, 'not_found_error', `model: ${id}`, requestId);
  sendJson(res, reply.status, reply.body);
}
