/**
 * Who serves a provider's models. Besides OpenAI and Anthropic, the presets are services that speak
 * the OpenAI chat API at a known address (each one's API reference: Mistral, Groq, DeepSeek,
 * Together, OpenRouter, and the local servers Ollama and vLLM); `openai-compatible` is any other.
 * `bedrock` is AWS Bedrock's Converse API, called through the AWS SDK (SigV4, not a key).
 */
export const PROVIDER_KINDS = [
  'openai',
  'anthropic',
  'openai-compatible',
  'azure',
  'gemini',
  'bedrock',
  'mistral',
  'groq',
  'deepseek',
  'together',
  'openrouter',
  'ollama',
  'vllm',
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** An AWS region name such as us-east-1 or ap-southeast-2, for Bedrock providers. */
export const AWS_REGION_PATTERN = /^[a-z]{2,}(-[a-z]+)+-\d+$/;
