// The preload: hands the renderer the control API address, its session token and a few OS services as
// window.apex (contracts/desktop-bridge.ts), and nothing else: no ipcRenderer, no Node.
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge } from '../contracts/desktop-bridge.ts';
import { CHANNELS, type IpcReply, type SessionReply } from './ipc-channels.ts';

// Asked for synchronously, once per page load, rather than passed in webPreferences.additionalArguments:
// those land on the renderer's command line, where any local user can read them (ps), and the token is
// a secret; and a page reloaded after a server restart gets the new address and token this way.
const session = ipcRenderer.sendSync(CHANNELS.session) as SessionReply;

/** Invokes a main-process handler and rethrows its error with the real message. */
async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply<T>;
  if (!reply.ok) throw new Error(reply.message);
  return reply.value;
}

// Main answers null to a page that is not the app (or before the server is up): then no bridge at all.
if (session) {
  const bridge: DesktopBridge = {
    apiBase: session.apiBase,
    token: session.token,
    openExternal: (url) => call<void>(CHANNELS.openExternal, url),
    keychain: {
      store: (provider, key) => call<{ hint: string }>(CHANNELS.keychainStore, provider, key),
      remove: (provider) => call<void>(CHANNELS.keychainRemove, provider),
      list: () => call<Array<{ provider: string; hint: string }>>(CHANNELS.keychainList),
    },
  };
  contextBridge.exposeInMainWorld('apex', bridge);
}
