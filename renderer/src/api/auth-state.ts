/**
 * Whether the server refused our token. Any 401 flips it, and the shell then shows the "open the URL
 * apex serve printed" screen instead of a page full of identical errors.
 */
import { useSyncExternalStore } from 'react';
import { hasSession } from './session.ts';

let unauthorized = false;
const listeners = new Set<() => void>();

export function markUnauthorized(): void {
  if (unauthorized) return;
  unauthorized = true;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useUnauthorized(): boolean {
  return useSyncExternalStore(subscribe, () => unauthorized || !hasSession());
}
