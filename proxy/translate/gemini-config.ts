/**
 * GenerateContentRequest's generationConfig (v1beta REST reference, GenerationConfig and
 * ThinkingConfig) <-> the IR's sampling, output-format and thinking fields.
 *
 * Dropped on the way in (the IR has no field): presencePenalty, frequencyPenalty, seed,
 * responseLogprobs/logprobs, responseModalities, speechConfig, mediaResolution, thinkingLevel.
 * Thinking: a positive thinkingBudget is the IR budget; 0 (off) and -1 (dynamic) have no IR
 * value and read as null. On the way out a budget asks for includeThoughts too, since an IR client
 * that sets a budget expects the thinking back; a null budget leaves the model's default.
 */
import { isRecord } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ChatRequest, ResponseFormat } from './ir.ts';
import { field, textField } from './gemini-fields.ts';
import { fromGeminiSchema } from './gemini-schema.ts';

const CONFIG = 'generationConfig';

export type SamplingFields = Pick<
  ChatRequest,
  'maxTokens' | 'temperature' | 'topP' | 'topK' | 'stop' | 'responseFormat' | 'thinkingBudget'
>;

export function decodeGenerationConfig(body: Record<string, unknown>): SamplingFields {
  const raw = field(body, CONFIG);
  if (raw !== undefined && raw !== null && !isRecord(raw))
    throw new TranslationError(`${CONFIG} must be an object`, CONFIG);
  const config = isRecord(raw) ? raw : {};
  const candidates = numberAt(config, 'candidateCount');
  if (candidates !== null && candidates > 1) {
    throw new TranslationError('candidateCount > 1 is not supported', `${CONFIG}.candidateCount`);
  }
  const maxTokens = numberAt(config, 'maxOutputTokens');
  if (maxTokens !== null && (!Number.isSafeInteger(maxTokens) || maxTokens < 1)) {
    throw new TranslationError('maxOutputTokens must be a positive integer', `${CONFIG}.maxOutputTokens`);
  }
  return {
    maxTokens,
    temperature: numberAt(config, 'temperature'),
    topP: numberAt(config, 'topP'),
    topK: numberAt(config, 'topK'),
    stop: stopSequences(field(config, 'stopSequences')),
    responseFormat: decodeResponseFormat(config),
    thinkingBudget: decodeThinking(field(config, 'thinkingConfig')),
  };
}

function numberAt(config: Record<string, unknown>, key: string): number | null {
  const value = field(config, key);
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TranslationError(`${key} must be a number`, `${CONFIG}.${key}`);
  }
  return value;
}

function stopSequences(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) {
    throw new TranslationError('stopSequences must be an array of strings', `${CONFIG}.stopSequences`);
  }
  return value;
}

/**
 * Gemini names no schema and always constrains output to it: the IR gets the name "response" and
 * strict false, because a Gemini schema rarely meets OpenAI's strict-mode rules.
 */
function decodeResponseFormat(config: Record<string, unknown>): ResponseFormat | null {
  const mime = textField(config, 'responseMimeType');
  const jsonSchema = field(config, 'responseJsonSchema');
  const schema = field(config, 'responseSchema');
  if (mime === null || mime === 'text/plain') return mime === null ? null : { type: 'text' };
  if (mime !== 'application/json') {
    throw new TranslationError(`responseMimeType ${mime} is not supported`, `${CONFIG}.responseMimeType`);
  }
  if (isRecord(jsonSchema))
    return { type: 'json_schema', name: 'response', schema: jsonSchema, strict: false };
  if (isRecord(schema))
    return { type: 'json_schema', name: 'response', schema: fromGeminiSchema(schema), strict: false };
  return { type: 'json_object' };
}

function decodeThinking(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value))
    throw new TranslationError('thinkingConfig must be an object', `${CONFIG}.thinkingConfig`);
  const budget = field(value, 'thinkingBudget');
  if (budget === undefined || budget === null) return null;
  if (typeof budget !== 'number' || !Number.isSafeInteger(budget) || budget < -1) {
    throw new TranslationError(
      'thinkingBudget must be an integer >= -1',
      `${CONFIG}.thinkingConfig.thinkingBudget`,
    );
  }
  return budget > 0 ? budget : null;
}

export function encodeGenerationConfig(request: ChatRequest): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (request.maxTokens !== null) config.maxOutputTokens = request.maxTokens;
  if (request.temperature !== null) config.temperature = request.temperature;
  if (request.topP !== null) config.topP = request.topP;
  if (request.topK !== null) config.topK = request.topK;
  if (request.stop.length > 0) config.stopSequences = request.stop;
  Object.assign(config, encodeResponseFormat(request.responseFormat));
  if (request.thinkingBudget !== null) {
    config.thinkingConfig = { thinkingBudget: request.thinkingBudget, includeThoughts: true };
  }
  return config;
}

/**
 * A schema goes out as responseJsonSchema, which takes JSON Schema as it is (responseSchema would
 * need the OpenAPI subset and lose $ref/$defs); the schema's name and strictness have no field.
 */
function encodeResponseFormat(format: ResponseFormat | null): Record<string, unknown> {
  if (format === null) return {};
  if (format.type === 'text') return { responseMimeType: 'text/plain' };
  if (format.type === 'json_object') return { responseMimeType: 'application/json' };
  return { responseMimeType: 'application/json', responseJsonSchema: format.schema };
}
