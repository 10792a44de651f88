import { isRecord, parseObject } from '../../common/json.ts';

/**
 * A tool call's arguments (JSON text in the IR, as OpenAI carries them) as the object Anthropic,
 * Gemini and Bedrock carry instead; '' is a call without arguments. Null when the text is not a JSON
 * object (truncated by max_tokens, or a bare value): each wire decides what that costs.
 */
export function toolArgumentsObject(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return {};
  const value = parseObject(text);
  return isRecord(value) ? value : null;
}
