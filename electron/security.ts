// Pure checks behind the window's security handlers and the IPC sender check (after VS Code's
// validated ipcMain): everything here takes plain strings so it is tested without Electron.

/** The origin of a URL, or null for anything unparsable or opaque (file:, data:, about:blank). */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Whether an IPC message comes from the app itself: the sending frame's URL must have exactly one of
 * the app's origins (the control API's, or the dev server's in development). A missing frame (it
 * navigated away or was destroyed) is refused.
 */
export function isTrustedSender(frameUrl: string | null | undefined, appOrigins: readonly string[]): boolean {
  const origin = originOf(frameUrl);
  return origin !== null && appOrigins.includes(origin);
}

/** In-app navigation stays on the app's origins; anything else is refused (links open externally). */
export function mayNavigate(url: string, appOrigins: readonly string[]): boolean {
  return isTrustedSender(url, appOrigins);
}

/** Only http(s) links go to the user's browser: never file:, javascript:, custom schemes or the like. */
export function isExternalUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 8192) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Every permission (camera, notifications, geolocation...) is denied except writing to the clipboard
 * from the app itself, which the dashboard's "copy" buttons need (navigator.clipboard.writeText).
 */
export function permissionAllowed(
  permission: string,
  requestingUrl: string | null | undefined,
  appOrigins: readonly string[],
): boolean {
  return permission === 'clipboard-sanitized-write' && isTrustedSender(requestingUrl, appOrigins);
}

/** The origins that are the app: the control API's, plus the dev server's in development. */
export function appOrigins(apiBase: string | null, devServerUrl: string | null): string[] {
  return [originOf(apiBase), originOf(devServerUrl)].filter((o): o is string => o !== null);
}

/** What the window loads: the dashboard the control API serves, or the dev server's in development. */
export function pageUrl(apiBase: string, devServerUrl: string | null): string {
  return devServerUrl ?? `${apiBase.replace(/\/+$/, '')}/`;
}
