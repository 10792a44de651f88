import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This module runs from its source (common/) or bundled into out/cli/; resources/ sits at the repository
// root in both cases, one or two levels up.
const ROOT_FROM_HERE = import.meta.url.endsWith('.ts') ? '../' : '../../';

/**
 * Absolute path of a file under the repository's resources/ folder. A packaged desktop app keeps them
 * outside its archive and says where with APEX_RESOURCES_DIR.
 */
export function resourcePath(relative: string): string {
  const packaged = process.env['APEX_RESOURCES_DIR'];
  return packaged ? join(packaged, relative) : rootPath(`resources/${relative}`);
}

/** Absolute path of a file relative to the repository (or installed package) root. */
export function rootPath(relative: string): string {
  return fileURLToPath(new URL(`${ROOT_FROM_HERE}${relative}`, import.meta.url));
}
