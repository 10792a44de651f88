// The IPC surface behind window.apex. Every handler first checks who is asking (after VS Code's
// validated ipcMain): the top frame of an app page, by origin. Anything else is refused.
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type IpcReply, type SessionReply } from './ipc-channels.ts';
import type { KeyStore } from './key-store.ts';
import { isExternalUrl, isTrustedSender } from './security.ts';

export interface IpcDeps {
  origins(): readonly string[];
  session(): SessionReply;
  keys: KeyStore;
  openExternal(url: string): Promise<void>;
}

export function registerIpc(deps: IpcDeps): void {
  ipcMain.on(CHANNELS.session, (event) => {
    event.returnValue = fromApp(event, deps) ? deps.session() : null;
  });
  handle(CHANNELS.openExternal, deps, async (url) => {
    if (!isExternalUrl(url)) throw new Error('Only http and https links open in the browser');
    await deps.openExternal(url);
  });
  handle(CHANNELS.keychainStore, deps, (provider, key) => deps.keys.store(text(provider), text(key)));
  handle(CHANNELS.keychainRemove, deps, (provider) => deps.keys.remove(text(provider)));
  handle(CHANNELS.keychainList, deps, () => deps.keys.list());
}

function handle(channel: string, deps: IpcDeps, run: (...args: unknown[]) => Promise<unknown>): void {
  ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcReply<unknown>> => {
    if (!fromApp(event, deps)) {
      console.warn(`apex: refused ${channel} from ${event.senderFrame?.url ?? 'a closed frame'}`);
      return { ok: false, message: 'Refused: this request did not come from the Apex window' };
    }
    try {
      return { ok: true, value: await run(...args) };
    } catch (err) {
      // Messages only: they never contain a key (the key store's errors are written so).
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  });
}

function fromApp(event: IpcMainEvent | IpcMainInvokeEvent, deps: IpcDeps): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isTrustedSender(frame.url, deps.origins());
}

/** Arguments arrive from another process: a non-string becomes "" and fails validation downstream. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
