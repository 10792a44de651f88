import { useCallback, useMemo, useRef, useState } from 'react';
import type { UsageEvent } from '../../../../contracts/usage.ts';
import { useRecentRequests } from '../../api/hooks.ts';
import { useLiveEvents, type LiveState } from '../../api/live.ts';

/** Rows kept in memory; older ones fall off so a dashboard left open all day stays light. */
export const MAX_ROWS = 500;
const HISTORY_LIMIT = 100;

export interface LiveRows {
  rows: UsageEvent[];
  /** Ids that arrived over the stream this session, for a brief highlight. */
  freshIds: ReadonlySet<string>;
  history: ReturnType<typeof useRecentRequests>;
  connection: LiveState;
  paused: boolean;
  buffered: number;
  togglePause: () => void;
}

function prepend(rows: UsageEvent[], event: UsageEvent): UsageEvent[] {
  const next = [event, ...rows];
  return next.length > MAX_ROWS ? next.slice(0, MAX_ROWS) : next;
}

/** Newest first by request start, one row per id (history and stream can overlap). */
function merge(live: readonly UsageEvent[], history: readonly UsageEvent[]): UsageEvent[] {
  const seen = new Set<string>();
  const all: UsageEvent[] = [];
  for (const event of [...live, ...history]) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    all.push(event);
  }
  all.sort((a, b) => b.ts - a.ts);
  return all.slice(0, MAX_ROWS);
}

/**
 * The recent history plus whatever the live stream adds. While paused, arrivals wait in a buffer
 * (counted for the reader) and join the table on resume, so rows never move under the reader.
 */
export function useLiveRows(): LiveRows {
  const history = useRecentRequests(HISTORY_LIMIT);
  const [live, setLive] = useState<UsageEvent[]>([]);
  // A ref, not state: resuming must take every buffered row, including ones from this very tick.
  const buffer = useRef<UsageEvent[]>([]);
  const [buffered, setBuffered] = useState(0);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(paused);

  const onEvent = useCallback((event: UsageEvent) => {
    if (pausedRef.current) {
      buffer.current = prepend(buffer.current, event);
      setBuffered((n) => n + 1);
    } else {
      setLive((rows) => prepend(rows, event));
    }
  }, []);
  const connection = useLiveEvents(onEvent);

  const togglePause = useCallback(() => {
    if (pausedRef.current) {
      const pending = buffer.current;
      buffer.current = [];
      setLive((rows) => [...pending, ...rows].slice(0, MAX_ROWS));
      setBuffered(0);
    }
    pausedRef.current = !pausedRef.current;
    setPaused(pausedRef.current);
  }, []);

  const rows = useMemo(() => merge(live, history.data?.requests ?? []), [live, history.data]);
  const freshIds = useMemo(() => new Set(live.map((e) => e.id)), [live]);
  return { rows, freshIds, history, connection, paused, buffered, togglePause };
}

export type StatusFilter = 'all' | 'errors';

export function isError(event: UsageEvent): boolean {
  return event.status >= 400 || event.errorClass !== null;
}

export function filterRows(rows: readonly UsageEvent[], text: string, status: StatusFilter): UsageEvent[] {
  const needle = text.trim().toLowerCase();
  return rows.filter((e) => {
    if (status === 'errors' && !isError(e)) return false;
    if (!needle) return true;
    const haystack = [e.provider, e.modelRequested, e.modelServed, e.project, e.keyId, e.endpoint];
    return haystack.some((value) => value?.toLowerCase().includes(needle));
  });
}
