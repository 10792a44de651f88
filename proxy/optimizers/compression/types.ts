export type CompressibleEndpoint = 'chat' | 'messages' | 'responses';

export interface CompressionOptions {
  /** Meaning-preserving rewrites: whitespace, JSON minification, tool schemas, repeated context. */
  lossless: boolean;
  lossy: {
    enabled: boolean;
    /** Only prompts estimated above this many tokens lose turns. */
    budgetTokens: number;
    /** Most recent turns that are always kept. A turn is a message, or a tool call with its results. */
    keepRecentTurns: number;
    mode: 'drop' | 'summarize';
  };
}

export interface CompressionResult {
  /** A new object; the input is never mutated. The input itself when nothing changed. */
  body: Record<string, unknown>;
  changed: boolean;
  tokensBefore: number;
  tokensAfter: number;
  /** What was applied, in pipeline order: "whitespace", "json-minify", "tool-schema", "dedupe", "drop-turns:6"... */
  steps: string[];
}

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
