/**
 * JSON Schema <-> Gemini's Schema object, "a select subset of an OpenAPI 3.0 schema object"
 * (v1beta REST reference, Schema; @google/genai types.ts `Schema`). The API parses it as a
 * protobuf message and answers 400 "Unknown name ..." for any other key, so the encoder keeps only
 * the fields listed below and strips everything else: $schema, $id, $ref, $defs/definitions,
 * additionalProperties, patternProperties, allOf, not, if/then/else, exclusiveMinimum/Maximum,
 * multipleOf, uniqueItems, examples, readOnly/writeOnly, tuple-form items. Some are rewritten
 * instead of dropped: oneOf becomes anyOf, a string const a one-value enum, a type list with
 * "null" a type plus nullable; enums of anything but strings (Gemini's enum is string[]) and
 * string formats other than enum and date-time (which the Gemini API refuses) are dropped.
 */
import { isRecord } from '../../common/json.ts';

const SCALAR_KEYS = [
  'title',
  'description',
  'nullable',
  'required',
  'propertyOrdering',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'example',
] as const;

const STRING_FORMATS = new Set(['enum', 'date-time']);
const NUMBER_FORMATS = new Set(['float', 'double', 'int32', 'int64']);

/** JSON Schema (as the IR carries it) -> a Schema the Gemini API accepts. */
export function toGeminiSchema(schema: unknown): Record<string, unknown> {
  if (!isRecord(schema)) return {};
  const out: Record<string, unknown> = {};
  copyType(schema.type, out);
  for (const key of SCALAR_KEYS) {
    if (schema[key] !== undefined) out[key] = schema[key];
  }
  copyEnum(schema, out);
  copyFormat(schema.format, out);
  if (isRecord(schema.properties)) out.properties = mapValues(schema.properties, toGeminiSchema);
  if (isRecord(schema.items)) out.items = toGeminiSchema(schema.items);
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : schema.oneOf;
  if (Array.isArray(union)) out.anyOf = union.filter(isRecord).map(toGeminiSchema);
  return out;
}

function copyType(type: unknown, out: Record<string, unknown>): void {
  if (typeof type === 'string') {
    out.type = type;
    return;
  }
  if (!Array.isArray(type)) return;
  const named = type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (named.length === 1) out.type = named[0];
  if (type.includes('null')) out.nullable = true;
}

function copyEnum(schema: Record<string, unknown>, out: Record<string, unknown>): void {
  if (Array.isArray(schema.enum)) {
    if (schema.enum.every((v) => typeof v === 'string')) out.enum = schema.enum;
  } else if (typeof schema.const === 'string') {
    out.enum = [schema.const];
  }
}

function copyFormat(format: unknown, out: Record<string, unknown>): void {
  if (typeof format !== 'string') return;
  const numeric = out.type === 'number' || out.type === 'integer';
  if ((numeric ? NUMBER_FORMATS : STRING_FORMATS).has(format)) out.format = format;
}

/**
 * A Gemini Schema (or a JSON Schema already) -> JSON Schema: type names lowercased (Gemini
 * documents STRING, OBJECT, ...) and nullable turned back into a type list with "null".
 */
export function fromGeminiSchema(schema: unknown): Record<string, unknown> {
  if (!isRecord(schema)) return {};
  const out: Record<string, unknown> = { ...schema };
  if (typeof schema.type === 'string') out.type = schema.type.toLowerCase();
  if (schema.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    delete out.nullable;
  }
  if (isRecord(schema.properties)) out.properties = mapValues(schema.properties, fromGeminiSchema);
  if (isRecord(schema.items)) out.items = fromGeminiSchema(schema.items);
  if (Array.isArray(schema.anyOf)) out.anyOf = schema.anyOf.map(fromGeminiSchema);
  return out;
}

function mapValues(
  record: Record<string, unknown>,
  map: (value: unknown) => Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/**
 * A converted parameters schema that declares no parameters: Gemini refuses an OBJECT schema with
 * empty properties, so such a function is declared without `parameters`.
 */
export function declaresNoParameters(schema: Record<string, unknown>): boolean {
  const props = schema.properties;
  const noProps = props === undefined || (isRecord(props) && Object.keys(props).length === 0);
  return noProps && (schema.type === undefined || schema.type === 'object' || schema.type === 'OBJECT');
}
