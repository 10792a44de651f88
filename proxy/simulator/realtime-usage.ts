/** Token accounting of the simulated Realtime API, in the shape of OpenAI's `response.usage`. */

/** pcm16 at 24 kHz is 48,000 bytes a second; audio input is billed at about 10 tokens a second. */
const AUDIO_BYTES_PER_TOKEN = 4800;
/** OpenAI caches prompts from 1,024 tokens, in steps of 128. */
const CACHE_MIN_TOKENS = 1024;
const CACHE_STEP = 128;

export interface Modalities {
  text: number;
  audio: number;
}

export function audioTokensOf(bytes: number): number {
  return Math.ceil(bytes / AUDIO_BYTES_PER_TOKEN);
}

/**
 * Usage of one response. The previous response's prompt is in the provider's cache, so its prefix
 * (from 1,024 tokens, in 128-token steps) is reported as cached, text before audio.
 */
export function realtimeUsage(prompt: Modalities, output: Modalities, previousPrompt: number) {
  const input = prompt.text + prompt.audio;
  const prefix = Math.min(previousPrompt, input);
  const cached =
    prefix >= CACHE_MIN_TOKENS
      ? CACHE_MIN_TOKENS + Math.floor((prefix - CACHE_MIN_TOKENS) / CACHE_STEP) * CACHE_STEP
      : 0;
  const cachedText = Math.min(cached, prompt.text);
  return {
    total_tokens: input + output.text + output.audio,
    input_tokens: input,
    output_tokens: output.text + output.audio,
    input_token_details: {
      text_tokens: prompt.text,
      audio_tokens: prompt.audio,
      image_tokens: 0,
      cached_tokens: cached,
      cached_tokens_details: { text_tokens: cachedText, audio_tokens: cached - cachedText, image_tokens: 0 },
    },
    output_token_details: { text_tokens: output.text, audio_tokens: output.audio },
  };
}
