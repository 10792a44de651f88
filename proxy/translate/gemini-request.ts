/**
 * GenerateContentRequest (v1beta REST reference, models.generateContent request body) <-> IR
 * ChatRequest. The model and streaming are not in the body: they are the URL
 * (models/{model}:generateContent or :streamGenerateContent?alt=sse), so decodeRequest reads them
 * from hints and encodeRequest leaves them out; the caller builds the URL from request.model and
 * request.stream (see geminiPath).
 *
 * Dropped on the way in: safetySettings, cachedContent, labels and the generationConfig fields
 * listed in gemini-config.ts. Dropped on the way out: parallelToolCalls (Gemini has no switch),
 * user, cache breakpoints and redacted thinking.
 */
import { isRecord } from '../../common/json.ts';
import { TranslationError } from './ir.ts';
import type { ChatMessage, ChatRequest, DecodeHints, TextPart } from './ir.ts';
import { decodeGenerationConfig, encodeGenerationConfig } from './gemini-config.ts';
import { field, textField } from './gemini-fields.ts';
import { encodeParts } from './gemini-parts-encode.ts';
import type { PartEncoding } from './gemini-parts-encode.ts';
import { decodeParts, newLedger } from './gemini-parts.ts';
import type { CallLedger } from './gemini-parts.ts';
import { decodeToolConfig, decodeTools, encodeToolChoice, encodeTools } from './gemini-tools.ts';

export function decodeGeminiRequest(body: unknown, hints?: DecodeHints): ChatRequest {
  if (!isRecord(body)) throw new TranslationError('request body must be a JSON object');
  const model = modelName(hints?.model ?? textField(body, 'model'));
  if (!model) throw new TranslationError('model is required (it belongs in the URL)', 'model');
  const selection = decodeToolConfig(field(body, 'toolConfig'), decodeTools(body.tools));
  return {
    model,
    system: decodeSystem(field(body, 'systemInstruction')),
    messages: decodeContents(body.contents),
    tools: selection.tools,
    toolChoice: selection.toolChoice,
    parallelToolCalls: null,
    ...decodeGenerationConfig(body),
    stream: hints?.stream ?? false,
    user: null,
  };
}

/** The URL's resource name is models/{model}; either spelling is accepted. */
function modelName(value: string | null | undefined): string | null {
  return value ? value.replace(/^models\//, '') : null;
}

/** A Content whose parts are text; a bare string is accepted as well. */
function decodeSystem(value: unknown): TextPart[] {
  const path = 'systemInstruction';
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }];
  if (!isRecord(value)) throw new TranslationError(`${path} must be a Content object`, path);
  const parts = decodeParts(value.parts, `${path}.parts`, newLedger(), { media: true });
  return parts.map((part, j) => {
    if (part.type !== 'text') throw new TranslationError(`${path} may hold only text`, `${path}.parts[${j}]`);
    return part;
  });
}

function decodeContents(value: unknown): ChatMessage[] {
  if (!Array.isArray(value)) throw new TranslationError('contents must be an array', 'contents');
  const ledger = newLedger();
  return value.map((content, i) => decodeContent(content, `contents[${i}]`, ledger));
}

/**
 * "function" is the role older clients gave function responses; an absent role means user (the
 * reference allows leaving it out for single-turn requests).
 */
function decodeContent(content: unknown, path: string, ledger: CallLedger): ChatMessage {
  if (!isRecord(content)) throw new TranslationError(`${path} must be an object`, path);
  const role = content.role ?? 'user';
  if (role !== 'user' && role !== 'model' && role !== 'function') {
    throw new TranslationError(`${path}.role must be user or model`, `${path}.role`);
  }
  const parts = decodeParts(content.parts, `${path}.parts`, ledger, { media: true });
  return { role: role === 'model' ? 'assistant' : 'user', content: parts };
}

export function encodeGeminiRequest(request: ChatRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { contents: encodeMessages(request.messages) };
  if (request.system.length > 0) {
    body.systemInstruction = { parts: request.system.map((part) => ({ text: part.text })) };
  }
  if (request.tools.length > 0) {
    body.tools = encodeTools(request.tools);
    const toolConfig = encodeToolChoice(request.toolChoice);
    if (toolConfig !== null) body.toolConfig = toolConfig;
  }
  const config = encodeGenerationConfig(request);
  if (Object.keys(config).length > 0) body.generationConfig = config;
  return body;
}

/**
 * Messages that encode to no parts are left out (Gemini refuses empty parts) and neighbours of
 * the same role are merged, as Gemini expects turns to alternate (tool results then a new user
 * text, as OpenAI clients send them, become one user turn).
 */
function encodeMessages(messages: ChatMessage[]): Array<Record<string, unknown>> {
  const names = new Map<string, string>();
  const contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> = [];
  messages.forEach((message, i) => {
    const ctx: PartEncoding = { path: `messages[${i}].content`, names, strictArgs: true };
    const parts = encodeParts(message.content, ctx);
    if (parts.length === 0) return;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  });
  return contents;
}
