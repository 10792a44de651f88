/**
 * Reads a text/event-stream body into events with eventsource-parser (a
 * spec-compliant parser, independent of the framing code under test), so
 * tests can assert on exactly what went over the wire.
 */
import { createParser } from 'eventsource-parser';
import type { SseEvent } from './sse-frame.ts';

export function parseSseText(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createParser({
    onEvent: (message) => {
      events.push(
        message.event === undefined ? { data: message.data } : { event: message.event, data: message.data },
      );
    },
  });
  parser.feed(text);
  return events;
}

export async function readSseEvents(response: Response): Promise<SseEvent[]> {
  return parseSseText(await response.text());
}

/** The JSON payloads of events, skipping OpenAI's `[DONE]` sentinel. */
export function jsonPayloads(events: SseEvent[]): Array<Record<string, unknown>> {
  return events
    .filter((sseEvent) => sseEvent.data !== '[DONE]')
    .map((sseEvent) => JSON.parse(sseEvent.data) as Record<string, unknown>);
}
