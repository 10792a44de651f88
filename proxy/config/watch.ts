import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadConfigFile, type LoadedConfig } from './load.ts';

export interface ConfigWatcher {
  close(): void;
}

/**
 * Reloads the config when its file changes. Editors save by rename, so the
 * directory is watched rather than the file; bursts are debounced. A config that
 * fails to load is reported and the running one stays in force.
 */
export function watchConfig(
  file: string,
  onReload: (loaded: LoadedConfig) => void | Promise<void>,
  onError: (error: Error) => void,
  debounceMs = 100,
): ConfigWatcher {
  let timer: NodeJS.Timeout | undefined;
  const reload = async (): Promise<void> => {
    try {
      await onReload(await loadConfigFile(file));
    } catch (error) {
      onError(error as Error);
    }
  };
  const watcher: FSWatcher = watch(dirname(file), (_event, changed) => {
    if (changed !== null && changed !== basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  });
  watcher.on('error', onError);
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
