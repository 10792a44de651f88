import { splitFences } from './fences.ts';
import { isPrefill, mapArray, mapMessageTexts, roleOf, type TextKind } from './format.ts';
import type { CompressibleEndpoint } from './types.ts';

/**
 * Repeated context: a long text (a pasted document, a file read twice, an identical tool result)
 * that already appeared verbatim in an earlier message is replaced by a short pointer to that
 * message. The first occurrence always stays, so nothing the model could read is lost.
 *
 * Matching works on whole texts and on runs of consecutive paragraphs (a fenced code block is
 * one paragraph, never split), so "here is the spec again: <spec> now what about X?" still
 * dedupes the spec. Rewrites depend only on earlier messages, so the compressed form of a
 * conversation's prefix is the same on every request: provider prompt caches keep hitting.
 */

export const MIN_REPEATED_CHARS = 200;
const SNIPPET_CHARS = 48;

interface Source {
  /** "user message #3", "tool result in message #5". */
  label: string;
  message: number;
  /** Position of a paragraph among all paragraphs registered so far, to recognise runs. */
  sequence: number;
}

interface Chunk {
  body: string;
  separator: string;
}

function chunksOf(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (const segment of splitFences(text)) {
    if (segment.code) {
      chunks.push({ body: segment.text, separator: '' });
      continue;
    }
    const parts = segment.text.split(/(\n[ \t\r]*\n\s*)/);
    for (let index = 0; index < parts.length; index += 2) {
      chunks.push({ body: parts[index]!, separator: parts[index + 1] ?? '' });
    }
  }
  return chunks;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SNIPPET_CHARS ? flat : `${flat.slice(0, SNIPPET_CHARS).trimEnd()}…`;
}

class RepeatIndex {
  private readonly texts = new Map<string, Source>();
  private readonly paragraphs = new Map<string, Source>();
  private sequence = 0;
  private pending: Array<() => void> = [];

  /** Replaces repeated content in one text of message `message`; registration waits for commit(). */
  rewrite(text: string, kind: TextKind, message: number, role: string): string {
    if (text.length < MIN_REPEATED_CHARS) return text;
    const label =
      kind === 'tool' ? `tool result in message #${message + 1}` : `${role} message #${message + 1}`;
    const whole = this.texts.get(text);
    const chunks = chunksOf(text);
    this.pending.push(() => this.register(text, chunks, label, message));
    if (whole && whole.message < message) return `[identical to the ${whole.label} above]`;
    return this.replaceRuns(chunks) ?? text;
  }

  commit(): void {
    for (const register of this.pending) register();
    this.pending = [];
  }

  private register(text: string, chunks: Chunk[], label: string, message: number): void {
    if (!this.texts.has(text)) this.texts.set(text, { label, message, sequence: -1 });
    for (const { body } of chunks) {
      this.sequence += 1;
      if (body.trim() !== '' && !this.paragraphs.has(body)) {
        this.paragraphs.set(body, { label, message, sequence: this.sequence });
      }
    }
  }

  /** The text with each long run of consecutive, already-seen paragraphs replaced; null if none. */
  private replaceRuns(chunks: Chunk[]): string | null {
    let out = '';
    let replaced = false;
    let index = 0;
    while (index < chunks.length) {
      const end = this.runEnd(chunks, index);
      const run = chunks.slice(index, end);
      const length = run.reduce((sum, chunk) => sum + chunk.body.length, 0);
      if (end > index && length >= MIN_REPEATED_CHARS) {
        const source = this.paragraphs.get(chunks[index]!.body)!;
        out += `[passage repeated verbatim from the ${source.label} above, starting "${snippet(run[0]!.body)}"]`;
        out += run.at(-1)!.separator;
        replaced = true;
        index = end;
      } else {
        out += chunks[index]!.body + chunks[index]!.separator;
        index += 1;
      }
    }
    return replaced ? out : null;
  }

  /** End (exclusive) of the run starting at `start`: paragraphs seen consecutively in one source. */
  private runEnd(chunks: Chunk[], start: number): number {
    let previous: Source | undefined;
    let end = start;
    while (end < chunks.length) {
      const source = this.paragraphs.get(chunks[end]!.body);
      if (
        !source ||
        (previous && (source.message !== previous.message || source.sequence !== previous.sequence + 1))
      ) {
        break;
      }
      previous = source;
      end += 1;
    }
    return end;
  }
}

/** The conversation with repeated long texts replaced by references; the same array if none. */
export function dedupeConversation(endpoint: CompressibleEndpoint, messages: readonly unknown[]): unknown[] {
  const index = new RepeatIndex();
  return mapArray(messages, (message, position) => {
    if (isPrefill(messages, position)) return message;
    const role = roleOf(message);
    const next = mapMessageTexts(endpoint, message, (text, kind) =>
      index.rewrite(text, kind, position, role),
    );
    index.commit();
    return next;
  });
}
