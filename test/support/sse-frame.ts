/**
 * Server-sent events framing, per the WHATWG HTML "Server-sent events" spec
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html): optional
 * `id:` and `event:` fields, one `data:` line per line of payload, and a blank
 * line to dispatch. Both OpenAI and Anthropic stream with exactly this framing.
 */

export interface SseEvent {
  /** The `event:` field; OpenAI chat streams omit it, Anthropic and Responses set it. */
  event?: string;
  /** The payload; a multi-line string becomes several `data:` lines, as the spec requires. */
  data: string;
  id?: string;
}

export function frameSseEvent(sseEvent: SseEvent): string {
  const lines: string[] = [];
  if (sseEvent.id !== undefined) lines.push(`id: ${sseEvent.id}`);
  if (sseEvent.event !== undefined) lines.push(`event: ${sseEvent.event}`);
  for (const line of sseEvent.data.split('\n')) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/** A named event whose data is the JSON of `payload` (the Anthropic and Responses style). */
export function namedJsonEvent(event: string, payload: unknown): SseEvent {
  return { event, data: JSON.stringify(payload) };
}

/** A data-only event (the OpenAI Chat Completions style). */
export function dataOnlyJsonEvent(payload: unknown): SseEvent {
  return { data: JSON.stringify(payload) };
}
