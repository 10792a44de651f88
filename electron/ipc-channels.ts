// Channel names and the reply envelope shared by main and the preload. Pure (no electron import) so
// the sandboxed preload bundle can inline it.

export const CHANNELS = {
  /** Synchronous, once per page load: the control API address and session token. */
  session: 'apex:session',
  openExternal: 'apex:open-external',
  keychainStore: 'apex:keychain:store',
  keychainRemove: 'apex:keychain:remove',
  keychainList: 'apex:keychain:list',
} as const;

/** What the session channel returns: null to a sender that is not the app, or before the server is up. */
export type SessionReply = { apiBase: string; token: string } | null;

/**
 * Handlers reply with an envelope instead of throwing: Electron rewrites a thrown error's message
 * ("Error invoking remote method ...") and drops its class, so the preload rethrows the real message.
 */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; message: string };
