import { chunk, l2Normalize, type Embedder } from './embedder.ts';

export interface OpenAICompatibleEmbedderOptions {
  /** e.g. https://api.openai.com/v1 or http://localhost:11434/v1; `/embeddings` is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
  /** Inputs per request; the OpenAI API accepts at most 2048. */
  batchSize?: number;
  /** Expected width, when known up front; otherwise learned from the first answer. */
  dimensions?: number;
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[];
}

/** Embeddings from any server speaking the OpenAI `POST /embeddings` wire format. */
export class OpenAICompatibleEmbedder implements Embedder {
  readonly id: string;
  private readonly options: OpenAICompatibleEmbedderOptions;
  private readonly url: string;
  private width: number;

  constructor(options: OpenAICompatibleEmbedderOptions) {
    this.options = options;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    this.id = `openai-compatible:${this.url}#${options.model}`;
    this.width = options.dimensions ?? 0;
  }

  /** 0 until the first answer when not given in the options. */
  get dimensions(): number {
    return this.width;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const batch of chunk(texts, this.options.batchSize ?? 256)) out.push(...(await this.request(batch)));
    return out;
  }

  private async request(input: string[]): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) headers['authorization'] = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.options.model, input, encoding_format: 'float' }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      const why = timedOut ? `timed out after ${this.options.timeoutMs} ms` : (error as Error).message;
      throw new Error(`embeddings request to ${this.url} failed: ${why}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`embeddings endpoint ${this.url} answered ${response.status}: ${errorMessage(text)}`);
    }
    return this.parse(text, input.length);
  }

  private parse(text: string, expected: number): Float32Array[] {
    let body: EmbeddingsResponse;
    try {
      body = JSON.parse(text) as EmbeddingsResponse;
    } catch {
      throw new Error(`embeddings endpoint ${this.url} answered with invalid JSON`);
    }
    const data = Array.isArray(body.data) ? body.data : [];
    if (data.length !== expected) {
      throw new Error(
        `embeddings endpoint ${this.url} returned ${data.length} vectors for ${expected} inputs`,
      );
    }
    // The wire format carries an index per item; order by it rather than trusting array order.
    const sorted = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return sorted.map((item) => this.vector(item.embedding));
  }

  private vector(embedding: unknown): Float32Array {
    if (!Array.isArray(embedding) || embedding.some((x) => typeof x !== 'number')) {
      throw new Error(`embeddings endpoint ${this.url} returned a non-numeric embedding`);
    }
    if (this.width === 0) this.width = embedding.length;
    if (embedding.length !== this.width) {
      throw new Error(
        `embeddings endpoint ${this.url} returned ${embedding.length} dimensions, expected ${this.width}`,
      );
    }
    return l2Normalize(Float32Array.from(embedding as number[]));
  }
}

/** The provider's own error message when the body has one (OpenAI: {error: {message}}). */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const error = parsed.error;
    if (typeof error === 'string') return error;
    if (typeof error?.message === 'string') return error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.slice(0, 300) || '(empty body)';
}
