import { baseUrlFor } from '../../components/sdk/snippets.ts';

/** Where the examples point when the status has not arrived yet: the proxy's default address. */
const DEFAULT_PROXY = 'http://127.0.0.1:4000';

/**
 * The two environment variables each official SDK reads, so a developer changes no code: the
 * OpenAI SDKs want `/v1` in the base URL, the Anthropic SDKs add it themselves.
 */
export function keyEnvSnippet(secret: string, proxyUrl: string | undefined): string {
  const proxy = proxyUrl ?? DEFAULT_PROXY;
  return [
    '# OpenAI SDKs (and anything OpenAI-compatible)',
    `OPENAI_API_KEY=${secret} OPENAI_BASE_URL=${baseUrlFor('openai', proxy)}`,
    '# Anthropic SDKs',
    `ANTHROPIC_API_KEY=${secret} ANTHROPIC_BASE_URL=${baseUrlFor('anthropic', proxy)}`,
  ].join('\n');
}
