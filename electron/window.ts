// The one window, and the rules every web page in the app lives under (Electron's security checklist):
// isolated and sandboxed renderers, no new windows, navigation locked to the app, links to the browser,
// a CSP on the app's responses, and no permissions beyond writing to the clipboard.
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { withContentSecurityPolicy } from './content-security-policy.ts';
import { isExternalUrl, mayNavigate, permissionAllowed } from './security.ts';

export type Origins = () => readonly string[];

export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Netra Apex',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  });
  // Shown once painted, so the user never sees an empty white frame.
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Applied to every WebContents the app creates (app 'web-contents-created'), not just the main window's. */
export function hardenWebContents(contents: WebContents, origins: Origins): void {
  contents.setWindowOpenHandler(({ url }) => {
    openInBrowser(url);
    return { action: 'deny' };
  });
  const guard = (event: { url: string; preventDefault(): void }): void => {
    if (mayNavigate(event.url, origins())) return;
    event.preventDefault();
    openInBrowser(event.url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function openInBrowser(url: string): void {
  if (isExternalUrl(url)) void shell.openExternal(url);
}

export function installSessionPolicies(ses: Session, origins: Origins, policy: () => string): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl, origins()));
  });
  ses.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    permissionAllowed(permission, details.requestingUrl, origins()),
  );
  ses.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders = withContentSecurityPolicy(
      details.url,
      details.responseHeaders,
      origins(),
      policy(),
    );
    callback(responseHeaders ? { responseHeaders } : {});
  });
}
