/**
 * Between Converse JSON as it travels on the wire and the AWS SDK's command shapes, which differ in
 * one respect only: blobs (ImageSource/DocumentSource/VideoSource `bytes`, ReasoningContentBlock
 * `redactedContent`) are base64 strings on the wire and Uint8Array in the SDK. Document-typed
 * members (tool inputs, JSON schemas, additional model fields) are free JSON and copied untouched,
 * so a tool argument that happens to be called "bytes" or "$x" is never rewritten.
 */

const BLOB_KEYS = new Set(['bytes', 'redactedContent']);

const DOCUMENT_KEYS = new Set([
  'input',
  'json',
  'additionalModelRequestFields',
  'additionalModelResponseFields',
  'requestMetadata',
  'promptVariables',
]);

/** A Converse request body (wire JSON) as SDK command input, blobs decoded from base64. */
export function toSdkShape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toSdkShape);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (DOCUMENT_KEYS.has(key)) out[key] = item;
    else if (BLOB_KEYS.has(key) && typeof item === 'string') out[key] = Buffer.from(item, 'base64');
    else out[key] = toSdkShape(item);
  }
  return out;
}

/**
 * SDK output as wire JSON: blobs base64-encoded, and the SDK's own members (`$metadata`, and the
 * `$unknown` it keeps for union members newer than itself) left out.
 */
export function toWireShape(value: unknown): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('base64');
  if (Array.isArray(value)) return value.map(toWireShape);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$') || item === undefined) continue;
    out[key] = DOCUMENT_KEYS.has(key) ? item : toWireShape(item);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !(value instanceof Date);
}

/** "/model/{modelId}/converse" or ".../converse-stream", as the Bedrock codec's bedrockPath writes it. */
export function parseBedrockPath(path: string): { modelId: string; stream: boolean } | null {
  const match = /\/model\/([^/?]+)\/(converse|converse-stream)(?:\?.*)?$/.exec(path);
  if (!match) return null;
  try {
    return { modelId: decodeURIComponent(match[1]!), stream: match[2] === 'converse-stream' };
  } catch {
    return null;
  }
}
