/**
 * IR content parts -> Gemini Part objects (v1beta REST reference, Part). The inverse of
 * gemini-parts.ts, including its signature carriers: an empty signed thinking part is folded onto
 * the part before it, or sent as an empty signed text part (which is how Gemini streams them)
 * when there is nothing to fold it onto. Redacted thinking and cache breakpoints have no Gemini
 * field and are dropped.
 */
import { TranslationError } from './ir.ts';
import type { ContentPart, ImagePart, ThinkingPart, ToolCallPart, ToolResultPart } from './ir.ts';
import { isGeneratedCallId, responseFromToolResult } from './gemini-fields.ts';
import { toolArgumentsObject } from './tool-arguments.ts';

type Part = Record<string, unknown>;

export interface PartEncoding {
  /** Where the parts came from, for error params. */
  path: string;
  /** Function names by call id, for results that arrive without one (Gemini matches by name). */
  names: Map<string, string>;
  /**
   * Requests refuse arguments that are not a JSON object; responses cannot refuse, and send `{}`
   * for what Gemini cannot carry (e.g. arguments cut off by max_tokens).
   */
  strictArgs: boolean;
}

export function isCarrier(part: ContentPart): part is ThinkingPart {
  return (
    part.type === 'thinking' && part.text === '' && part.signature !== null && part.redacted === undefined
  );
}

export function encodeParts(parts: ContentPart[], ctx: PartEncoding): Part[] {
  const out: Part[] = [];
  parts.forEach((part, k) => {
    if (isCarrier(part)) {
      const last = out.at(-1);
      if (last !== undefined && canCarry(last)) last.thoughtSignature = part.signature;
      else out.push({ text: '', thoughtSignature: part.signature });
      return;
    }
    out.push(...encodePart(part, { ...ctx, path: `${ctx.path}[${k}]` }));
  });
  return out;
}

function canCarry(part: Part): boolean {
  return part.thought !== true && part.thoughtSignature === undefined;
}

function encodePart(part: ContentPart, ctx: PartEncoding): Part[] {
  switch (part.type) {
    case 'text':
      return [{ text: part.text }];
    case 'image':
      return [encodeImage(part)];
    case 'tool_call':
      return [encodeCall(part, ctx)];
    case 'tool_result':
      return encodeResult(part, ctx);
    case 'thinking':
      return encodeThinking(part);
  }
}

function encodeThinking(part: ThinkingPart): Part[] {
  if (part.redacted !== undefined) return [];
  const out: Part = { text: part.text, thought: true };
  if (part.signature !== null) out.thoughtSignature = part.signature;
  return [out];
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

/**
 * fileData requires a mimeType the IR's url images do not keep: it is read from the file
 * extension, and image/jpeg (the commonest image type) stands in when there is none.
 */
export function mimeFromUrl(url: string): string {
  const path = url.split(/[?#]/)[0] ?? '';
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : '';
  return EXTENSION_TYPES[ext] ?? 'image/jpeg';
}

function encodeImage(part: ImagePart): Part {
  const source = part.source;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const inline = DATA_URL.exec(source.url);
  if (inline) return { inlineData: { mimeType: inline[1], data: inline[2] } };
  return { fileData: { mimeType: mimeFromUrl(source.url), fileUri: source.url } };
}

function encodeCall(part: ToolCallPart, ctx: PartEncoding): Part {
  ctx.names.set(part.id, part.name);
  const args = toolArgumentsObject(part.arguments);
  if (args === null && ctx.strictArgs) {
    throw new TranslationError('tool call arguments must be a JSON object', `${ctx.path}.arguments`);
  }
  const call: Part = { name: part.name, args: args ?? {} };
  // Ids Gemini issued go back; ids this codec made up were never Gemini's.
  if (!isGeneratedCallId(part.id)) call.id = part.id;
  return { functionCall: call };
}

/** Images in a result follow it as sibling parts of the same user turn, where Gemini still sees them. */
function encodeResult(part: ToolResultPart, ctx: PartEncoding): Part[] {
  const name = part.name ?? ctx.names.get(part.toolCallId);
  if (!name) throw new TranslationError('tool result names no known function call', `${ctx.path}.toolCallId`);
  const text = part.content.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
  const response: Part = { name, response: responseFromToolResult(text, part.isError) };
  if (!isGeneratedCallId(part.toolCallId)) response.id = part.toolCallId;
  const images = part.content.flatMap((c) => (c.type === 'image' ? [encodeImage(c)] : []));
  return [{ functionResponse: response }, ...images];
}
