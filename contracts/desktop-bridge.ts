/**
 * What the desktop preload exposes to the renderer as `window.apex` (contextBridge). In a browser
 * (`apex serve`) it is absent: the renderer then talks to its own origin and takes the session token
 * from the `?token=` the server printed. Keep this small: the control API does the real work.
 */
export interface DesktopBridge {
  /** Control API origin, e.g. "http://127.0.0.1:4100". */
  apiBase: string;
  /** The control API's session token. */
  token: string;
  /** Opens an http(s) link in the user's browser. */
  openExternal(url: string): Promise<void>;
  /** Provider keys in the OS keychain (Electron safeStorage); values go in, only hints come out. */
  keychain: {
    /** Rejects when the OS offers no encryption: Apex never stores a key in plain text. */
    store(provider: string, key: string): Promise<{ hint: string }>;
    remove(provider: string): Promise<void>;
    list(): Promise<Array<{ provider: string; hint: string }>>;
  };
}
