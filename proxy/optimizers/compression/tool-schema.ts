import { mapArray, withField } from './format.ts';
import { isRecord, type CompressibleEndpoint, type Json } from './types.ts';
import { compactWhitespace } from './whitespace.ts';

/**
 * Tool definitions are resent with every request, so their schemas are worth trimming. What is
 * removed carries nothing the model can use:
 * - `$schema`: a meta-schema URL for validators;
 * - `title` when it only restates the property or tool name ("user_id" titled "User Id", as
 *   Pydantic generates); a title that says more is kept;
 * - surplus whitespace in descriptions (same prose rules as message text).
 * Kept on purpose: `description`, `type`, `enum`, `const`, `required`, `default`, `examples`,
 * `format`, bounds, `$ref`/`$defs`, `$comment`, and `additionalProperties: false`, which tells the
 * model not to invent keys and which OpenAI strict mode requires.
 *
 * The walk is structural: under `properties` the keys are names, not keywords (a property may
 * be called "title"), and values under `enum`, `const`, `default` and `examples` are data.
 */

const NAMED_SCHEMAS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);
const SUBSCHEMA = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items']);

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function compactDescription(description: string): string {
  // Trim first: a leading indent would make the whole text look layout-sensitive.
  const compacted = compactWhitespace(description.trim());
  return compacted === description ? description : compacted;
}

function minifyNamed(map: Json, withNames: boolean): Json {
  let out: Json | null = null;
  for (const [name, schema] of Object.entries(map)) {
    const next = minifySchema(schema, withNames ? name : undefined);
    if (next !== schema) {
      out ??= { ...map };
      out[name] = next;
    }
  }
  return out ?? map;
}

function minifyKeyword(key: string, value: unknown): unknown {
  if (key === 'description' && typeof value === 'string') return compactDescription(value);
  if (NAMED_SCHEMAS.has(key) && isRecord(value)) return minifyNamed(value, key === 'properties');
  if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) return mapArray(value, (item) => minifySchema(item));
  if (SUBSCHEMA.has(key)) return minifySchema(value);
  return value;
}

/** A JSON schema without meaningless keys; the same object when there was nothing to remove. */
export function minifySchema(schema: unknown, name?: string): unknown {
  if (!isRecord(schema)) return schema;
  let out: Json | null = null;
  for (const [key, value] of Object.entries(schema)) {
    const redundantTitle =
      key === 'title' &&
      typeof value === 'string' &&
      name !== undefined &&
      normalizedName(value) === normalizedName(name);
    if (key === '$schema' || redundantTitle) {
      out ??= { ...schema };
      delete out[key];
      continue;
    }
    const next = minifyKeyword(key, value);
    if (next !== value) {
      out ??= { ...schema };
      out[key] = next;
    }
  }
  return out ?? schema;
}

/** Minifies one function definition object holding `description` and a schema under `schemaKey`. */
function minifyFunction(definition: Json, schemaKey: string): Json {
  const name = typeof definition['name'] === 'string' ? definition['name'] : undefined;
  let out = definition;
  if (typeof definition['description'] === 'string') {
    out = withField(out, 'description', compactDescription(definition['description']));
  }
  if (definition[schemaKey] !== undefined)
    out = withField(out, schemaKey, minifySchema(definition[schemaKey], name));
  return out;
}

function minifyTool(endpoint: CompressibleEndpoint, tool: unknown): unknown {
  if (!isRecord(tool)) return tool;
  if (endpoint === 'messages')
    return tool['input_schema'] === undefined ? tool : minifyFunction(tool, 'input_schema');
  if (endpoint === 'responses')
    return tool['type'] === 'function' ? minifyFunction(tool, 'parameters') : tool;
  return isRecord(tool['function'])
    ? withField(tool, 'function', minifyFunction(tool['function'], 'parameters'))
    : tool;
}

/** The body with its tool definitions minified (chat `tools` and legacy `functions` included). */
export function minifyToolDefinitions(endpoint: CompressibleEndpoint, body: Json): Json {
  let out = body;
  if (Array.isArray(body['tools'])) {
    out = withField(
      out,
      'tools',
      mapArray(body['tools'], (tool) => minifyTool(endpoint, tool)),
    );
  }
  if (endpoint === 'chat' && Array.isArray(body['functions'])) {
    const functions = mapArray(body['functions'], (fn) =>
      isRecord(fn) ? minifyFunction(fn, 'parameters') : fn,
    );
    out = withField(out, 'functions', functions);
  }
  return out;
}
