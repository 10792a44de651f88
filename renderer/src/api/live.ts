import { useEffect, useRef, useState } from 'react';
import type { LiveUsageEvent } from '../../../contracts/control-api.ts';
import { liveUrl } from './session.ts';

export type LiveState = 'connecting' | 'open' | 'reconnecting';

/**
 * Subscribes to /api/live for as long as the caller is mounted. EventSource reconnects by itself;
 * the state only tells the reader whether rows can currently arrive.
 */
export function useLiveEvents(onEvent: (event: LiveUsageEvent) => void, enabled = true): LiveState {
  const handler = useRef(onEvent);
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    handler.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    if (!enabled) return;
    const source = new EventSource(liveUrl());
    source.onopen = () => setState('open');
    source.onerror = () => setState('reconnecting');
    source.addEventListener('usage', (message) => {
      try {
        handler.current(JSON.parse((message as MessageEvent<string>).data) as LiveUsageEvent);
      } catch {
        // A malformed frame is skipped; the next one is independent.
      }
    });
    return () => source.close();
  }, [enabled]);

  return state;
}
