/**
 * Gemini Part objects -> IR content parts (v1beta REST reference, Content and Part; @google/genai
 * types.ts Part, Blob, FileData, FunctionCall, FunctionResponse).
 *
 * Thought signatures: a `thought: true` part keeps its thoughtSignature on its IR thinking part.
 * Gemini also signs ordinary parts (the first functionCall of a step, the last text part, or an
 * empty text part at the end of a stream); the IR has no signature field on those, so the
 * signature travels on an empty thinking part right AFTER the part it belongs to, a "carrier".
 * After the part, because a stream only reveals the signature once that part is over; the encoder
 * folds a carrier back onto the part before it.
 */
import { isRecord } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ContentPart, ImagePart, ThinkingPart, ToolCallPart, ToolResultPart } from './ir.ts';
import { field, generatedCallId, textField, toolResultFromResponse } from './gemini-fields.ts';

/** The function calls seen so far in one request or response: numbering and matching results by name. */
export interface CallLedger {
  count: number;
  pending: Array<{ id: string; name: string }>;
}

export function newLedger(): CallLedger {
  return { count: 0, pending: [] };
}

export interface PartOptions {
  /** Responses carry no media in the IR: image parts are skipped instead of decoded. */
  media: boolean;
}

export function decodeParts(
  parts: unknown,
  path: string,
  ledger: CallLedger,
  options: PartOptions,
): ContentPart[] {
  if (parts === undefined || parts === null) return [];
  if (!Array.isArray(parts)) throw new TranslationError(`${path} must be an array`, path);
  return parts.flatMap((part, j) => decodePart(part, `${path}[${j}]`, ledger, options));
}

export function decodePart(
  part: unknown,
  path: string,
  ledger: CallLedger,
  options: PartOptions,
): ContentPart[] {
  if (!isRecord(part)) throw new TranslationError(`${path} must be an object`, path);
  const signature = textField(part, 'thoughtSignature') || null;
  const decoded = decodeBody(part, path, ledger, options);
  if (decoded?.type === 'thinking')
    return decoded.text === '' && signature === null ? [] : [{ ...decoded, signature }];
  const out: ContentPart[] = decoded ? [decoded] : [];
  if (signature !== null) out.push(carrier(signature));
  return out;
}

export function carrier(signature: string): ThinkingPart {
  return { type: 'thinking', text: '', signature };
}

/** Exactly one data field is set per part; parts of kinds the IR has no room for decode to nothing. */
function decodeBody(
  part: Record<string, unknown>,
  path: string,
  ledger: CallLedger,
  options: PartOptions,
): ContentPart | null {
  const text = part.text;
  if (text !== undefined) return decodeText(text, part.thought === true, path);
  const inline = field(part, 'inlineData');
  if (inline !== undefined) return options.media ? decodeInline(inline, `${path}.inlineData`) : null;
  const file = field(part, 'fileData');
  if (file !== undefined) return options.media ? decodeFile(file, `${path}.fileData`) : null;
  const call = field(part, 'functionCall');
  if (call !== undefined) return decodeCall(call, `${path}.functionCall`, ledger);
  const response = field(part, 'functionResponse');
  if (response !== undefined) return decodeResponse(response, `${path}.functionResponse`, ledger);
  return null;
}

function decodeText(text: unknown, thought: boolean, path: string): ContentPart | null {
  if (typeof text !== 'string') throw new TranslationError(`${path}.text must be a string`, `${path}.text`);
  if (thought) return { type: 'thinking', text, signature: null };
  return text === '' ? null : { type: 'text', text };
}

function mediaType(value: Record<string, unknown>, path: string, required: boolean): string | null {
  const mime = textField(value, 'mimeType');
  if (mime === null && !required) return null;
  // The IR carries images only; audio, video and documents cannot be passed on.
  if (mime === null || !mime.startsWith('image/')) {
    throw new TranslationError(`${path}.mimeType must be an image type`, `${path}.mimeType`);
  }
  return mime;
}

function decodeInline(inline: unknown, path: string): ImagePart {
  if (!isRecord(inline)) throw new TranslationError(`${path} must be an object`, path);
  const mime = mediaType(inline, path, true) ?? '';
  const data = textField(inline, 'data');
  if (data === null) throw new TranslationError(`${path}.data must be a base64 string`, `${path}.data`);
  return { type: 'image', source: { kind: 'base64', mediaType: mime, data } };
}

function decodeFile(file: unknown, path: string): ImagePart {
  if (!isRecord(file)) throw new TranslationError(`${path} must be an object`, path);
  mediaType(file, path, false);
  const uri = textField(file, 'fileUri');
  if (uri === null) throw new TranslationError(`${path}.fileUri must be a string`, `${path}.fileUri`);
  return { type: 'image', source: { kind: 'url', url: uri } };
}

function objectOrEmpty(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new TranslationError(`${path} must be an object`, path);
  return value;
}

function requiredName(value: Record<string, unknown>, path: string): string {
  const name = textField(value, 'name');
  if (!name) throw new TranslationError(`${path}.name is required`, `${path}.name`);
  return name;
}

function decodeCall(call: unknown, path: string, ledger: CallLedger): ToolCallPart {
  if (!isRecord(call)) throw new TranslationError(`${path} must be an object`, path);
  const name = requiredName(call, path);
  const args = objectOrEmpty(call.args, `${path}.args`);
  const id = textField(call, 'id') || generatedCallId(ledger.count);
  ledger.count += 1;
  ledger.pending.push({ id, name });
  return { type: 'tool_call', id, name, arguments: JSON.stringify(args) };
}

/** Without an id a result answers the earliest unanswered call of the same name. */
function decodeResponse(response: unknown, path: string, ledger: CallLedger): ToolResultPart {
  if (!isRecord(response)) throw new TranslationError(`${path} must be an object`, path);
  const name = requiredName(response, path);
  const body = objectOrEmpty(response.response, `${path}.response`);
  const given = textField(response, 'id') || null;
  const at = ledger.pending.findIndex((call) => (given !== null ? call.id === given : call.name === name));
  const [matched] = at >= 0 ? ledger.pending.splice(at, 1) : [];
  const id = given ?? matched?.id ?? generatedCallId(ledger.count++);
  const result = toolResultFromResponse(body);
  return {
    type: 'tool_result',
    toolCallId: id,
    name,
    content: [{ type: 'text', text: result.text }],
    isError: result.isError,
  };
}
