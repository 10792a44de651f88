/**
 * Light and dark themes. The preference (system, light or dark) persists in localStorage; the page
 * always carries the resolved theme in `data-theme`, so CSS has one switch to key on.
 */
import { useSyncExternalStore } from 'react';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'apex.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function readPreference(): ThemePreference {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

let preference: ThemePreference = readPreference();

function resolve(pref: ThemePreference): Theme {
  if (pref !== 'system') return pref;
  return media.matches ? 'dark' : 'light';
}

function apply(): void {
  const theme = resolve(preference);
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  for (const listener of listeners) listener();
}

/** Call once before the first render so the page never flashes the wrong theme. */
export function initTheme(): void {
  apply();
  media.addEventListener('change', () => {
    if (preference === 'system') apply();
  });
}

export function setThemePreference(next: ThemePreference): void {
  preference = next;
  if (next === 'system') localStorage.removeItem(STORAGE_KEY);
  else localStorage.setItem(STORAGE_KEY, next);
  apply();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useThemePreference(): ThemePreference {
  return useSyncExternalStore(subscribe, () => preference);
}

export function useResolvedTheme(): Theme {
  return useSyncExternalStore(subscribe, () => resolve(preference));
}
