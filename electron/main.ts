// Electron main: OS glue only. The server (proxy, control API, store) runs in a utilityProcess and
// serves the dashboard; this process owns the window, tray, menu, keychain and the app's lifecycle.
import { app, dialog, session, shell, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installAppMenu } from './app-menu.ts';
import { contentSecurityPolicy } from './content-security-policy.ts';
import { registerIpc } from './ipc.ts';
import { openKeychain } from './keychain.ts';
import { appOrigins, pageUrl } from './security.ts';
import { startServerHost, type ServerHost, type ServerInfo } from './server-host.ts';
import { serverEntryPath, serverEnvironment } from './server-messages.ts';
import { createTray, type AppTray } from './tray.ts';
import { createMainWindow, hardenWebContents, installSessionPolicies } from './window.ts';

const APP_ID = 'ai.netra.apex';
/** electron-vite's dev server; never honoured in a packaged build, whatever the environment says. */
const DEV_RENDERER_URL = app.isPackaged ? null : (process.env.ELECTRON_RENDERER_URL ?? null);
/** Sandboxed preloads cannot be ES modules: electron.vite.config.ts builds this one as CommonJS. */
const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
/** Failures in a row after which the user is told, rather than left looking at nothing. */
const TELL_USER_AFTER = 3;

let window: BrowserWindow | null = null;
let server: ServerHost | null = null;
let tray: AppTray | null = null;
let wantWindow = true;
let quitting = false;

const origins = (): string[] => appOrigins(server?.current()?.apiBase ?? null, DEV_RENDERER_URL);

if (!app.requestSingleInstanceLock()) {
  // Another Apex is running (and owns the proxy port): it focuses its window; this one leaves.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origins));
  // The proxy keeps serving the user's apps with the window closed; Quit is in the tray and menu.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    if (quitting || !server) return;
    event.preventDefault();
    quitting = true;
    void server.stop().finally(() => {
      server = null;
      app.quit();
    });
  });
  app.on('will-quit', () => tray?.destroy());
  void app.whenReady().then(start);
}

function start(): void {
  app.setAppUserModelId(APP_ID);
  installAppMenu(process.platform);
  const policy = (): string =>
    contentSecurityPolicy({ apiBase: server?.current()?.apiBase ?? '', devServer: DEV_RENDERER_URL });
  installSessionPolicies(session.defaultSession, origins, policy);
  registerIpc({
    origins,
    session: () => sessionOf(server?.current() ?? null),
    keys: openKeychain(app.getPath('userData')),
    openExternal: (url) => shell.openExternal(url),
  });
  tray = createTray({
    iconPath: join(app.getAppPath(), 'resources', 'icons', 'tray.png'),
    session: () => sessionOf(server?.current() ?? null),
    open: showWindow,
    quit: () => app.quit(),
  });
  server = startServerHost({
    entry: serverEntryPath({ appPath: app.getAppPath(), packaged: app.isPackaged, exists: existsSync }),
    env: serverEnvironment(process.argv, process.env, app.isPackaged ? process.resourcesPath : null),
    onReady,
    onProblem,
  });
}

function sessionOf(info: ServerInfo | null): { apiBase: string; token: string } | null {
  return info ? { apiBase: info.apiBase, token: info.token } : null;
}

function onReady(info: ServerInfo): void {
  void tray?.refresh();
  // A restarted server has a new port and token: a window still open reloads onto them.
  if (window && !window.isDestroyed()) void window.loadURL(pageUrl(info.apiBase, DEV_RENDERER_URL));
  else if (wantWindow) openWindow(info);
}

function onProblem(message: string, failures: number): void {
  console.error(`apex: ${message}`);
  if (failures === TELL_USER_AFTER) {
    dialog.showErrorBox(
      'Netra Apex',
      `${message}\n\nApex keeps trying to start its server in the background.`,
    );
  }
}

function openWindow(info: ServerInfo): void {
  wantWindow = false;
  window = createMainWindow(PRELOAD);
  window.on('closed', () => {
    window = null;
  });
  void window.loadURL(pageUrl(info.apiBase, DEV_RENDERER_URL));
}

/** Second launch, dock click or tray "Open": bring the window back, or open it once the server is up. */
function showWindow(): void {
  if (window && !window.isDestroyed()) {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return;
  }
  const info = server?.current() ?? null;
  if (info) openWindow(info);
  else wantWindow = true;
}
