/**
 * Where the control API is and which token opens it. In Electron the preload hands both over; in a
 * browser the page is served by the API itself and the token arrives once in `?token=`.
 */
import type { DesktopBridge } from '../../../contracts/desktop-bridge.ts';

declare global {
  interface Window {
    apex?: DesktopBridge;
  }
}

const TOKEN_KEY = 'apex.token';

let token: string | null = null;
let apiBase = '';

/**
 * Moves `?token=` from the address bar into sessionStorage: a token left in the URL would end up in
 * history, bookmarks and screenshots. sessionStorage keeps it across reloads of this tab only.
 */
export function initSession(): void {
  const bridge = window.apex;
  if (bridge) {
    apiBase = bridge.apiBase.replace(/\/+$/, '');
    token = bridge.token;
    return;
  }
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
  }
  token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY);
}

export function sessionToken(): string | null {
  return token;
}

export function hasSession(): boolean {
  return Boolean(token);
}

export function apiUrl(path: string): string {
  return `${apiBase}${path}`;
}

export function isDesktop(): boolean {
  return window.apex !== undefined;
}

/** The live stream's address; EventSource cannot send headers, so the token rides in the query. */
export function liveUrl(): string {
  return apiUrl(`/api/live?token=${encodeURIComponent(token ?? '')}`);
}
