/**
 * Hash routes (`#/overview`): the server answers every path with index.html, and the hash keeps
 * routing entirely in the page with no router dependency.
 */
import { useSyncExternalStore } from 'react';

export const ROUTES = [
  'overview',
  'savings',
  'live',
  'waste',
  'providers',
  'keys',
  'settings',
  'welcome',
] as const;
export type Route = (typeof ROUTES)[number];

const ONBOARDED_KEY = 'apex.onboarded';

export function isOnboarded(): boolean {
  return localStorage.getItem(ONBOARDED_KEY) !== null;
}

export function setOnboarded(done: boolean): void {
  if (done) localStorage.setItem(ONBOARDED_KEY, new Date().toISOString());
  else localStorage.removeItem(ONBOARDED_KEY);
}

function parse(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : null;
}

/** Where to land when the hash names no page: onboarding the first time, the overview after. */
function fallback(): Route {
  return isOnboarded() ? 'overview' : 'welcome';
}

export function navigate(route: Route): void {
  window.location.hash = `#/${route}`;
}

let navigatedOnce = false;

/** True after the first in-app navigation: only then should a page pull focus to its heading. */
export function hasNavigated(): boolean {
  return navigatedOnce;
}

function subscribe(listener: () => void): () => void {
  const onChange = () => {
    navigatedOnce = true;
    listener();
  };
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parse(window.location.hash) ?? fallback());
}

/** Rewrites an unknown or empty hash to the page actually shown, without a history entry. */
export function normalizeHash(): void {
  if (parse(window.location.hash) !== null) return;
  const url = `${window.location.pathname}${window.location.search}#/${fallback()}`;
  history.replaceState(history.state, '', url);
}
