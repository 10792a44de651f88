import { homedir } from 'node:os';
import { join } from 'node:path';

/** The platform's conventional per-user data folder, the same one the desktop app uses. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Netra Apex');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Netra Apex');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'netra-apex');
}

/** Demo traffic is simulated: it lives apart so it can never mix with billed usage. */
export function storeFile(dataDir: string, demo: boolean): string {
  return demo ? join(dataDir, 'demo', 'apex.db') : join(dataDir, 'apex.db');
}
