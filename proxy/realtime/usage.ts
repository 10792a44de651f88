import type { TokenUsage } from '../../contracts/usage.ts';
import { ZERO_USAGE } from '../../contracts/usage.ts';
import { isRecord } from '../../common/json.ts';

/** Input tokens of one modality, and the part of them read from the provider's cache. */
export interface ModalityInput {
  input: number;
  cachedInput: number;
}

/**
 * One realtime response's tokens: the totals every report uses, plus the audio and image parts,
 * which the realtime models price differently from text.
 */
export interface RealtimeTokens {
  usage: TokenUsage;
  audio: ModalityInput & { output: number };
  image: ModalityInput;
}

export const ZERO_REALTIME_TOKENS: Readonly<RealtimeTokens> = Object.freeze({
  usage: ZERO_USAGE,
  audio: { input: 0, cachedInput: 0, output: 0 },
  image: { input: 0, cachedInput: 0 },
});

/**
 * Reads `response.usage` of a realtime `response.done` event (GA and beta share the shape):
 * `input_tokens` includes the cached ones (`input_token_details.cached_tokens`, split by
 * modality in `cached_tokens_details`); `output_tokens` is text plus audio. Null when absent.
 * Counts that contradict each other are clamped so no part exceeds its whole.
 */
export function readRealtimeUsage(raw: unknown): RealtimeTokens | null {
  if (!isRecord(raw)) return null;
  const inputDetails = isRecord(raw.input_token_details) ? raw.input_token_details : {};
  const outputDetails = isRecord(raw.output_token_details) ? raw.output_token_details : {};
  const input = count(raw.input_tokens);
  const output = count(raw.output_tokens);
  const cached = Math.min(count(inputDetails.cached_tokens), input);
  const audioInput = Math.min(count(inputDetails.audio_tokens), input);
  const imageInput = Math.min(count(inputDetails.image_tokens), input - audioInput);
  const cachedSplit = splitCached(inputDetails.cached_tokens_details, cached, {
    text: input - audioInput - imageInput,
    audio: audioInput,
    image: imageInput,
  });
  return {
    usage: { ...ZERO_USAGE, inputTokens: input, outputTokens: output, cachedInputTokens: cached },
    audio: {
      input: audioInput,
      cachedInput: cachedSplit.audio,
      output: Math.min(count(outputDetails.audio_tokens), output),
    },
    image: { input: imageInput, cachedInput: cachedSplit.image },
  };
}

/**
 * Cached tokens by modality, from `cached_tokens_details` when the provider sent it; without
 * it the cache is assumed to hold text first (the cheaper reading), then audio, then images.
 */
function splitCached(
  details: unknown,
  cached: number,
  inputs: { text: number; audio: number; image: number },
): { audio: number; image: number } {
  if (isRecord(details)) {
    const audio = Math.min(count(details.audio_tokens), inputs.audio, cached);
    return { audio, image: Math.min(count(details.image_tokens), inputs.image, cached - audio) };
  }
  const audio = Math.min(inputs.audio, Math.max(0, cached - inputs.text));
  return { audio, image: Math.min(inputs.image, Math.max(0, cached - inputs.text - audio)) };
}

/** The text part: totals less the audio and image parts (what is left is priced at text rates). */
export function textPart(tokens: RealtimeTokens, split: { audio: boolean; image: boolean }): TokenUsage {
  const audio = split.audio ? tokens.audio : { input: 0, cachedInput: 0, output: 0 };
  const image = split.image ? tokens.image : { input: 0, cachedInput: 0 };
  const { usage } = tokens;
  const inputTokens = usage.inputTokens - audio.input - image.input;
  return {
    ...usage,
    inputTokens,
    cachedInputTokens: Math.min(inputTokens, usage.cachedInputTokens - audio.cachedInput - image.cachedInput),
    outputTokens: usage.outputTokens - audio.output,
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
