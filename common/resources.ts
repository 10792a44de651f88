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

/**
 * A worker thread's script: from source it is a .ts file beside the caller; in the bundled CLI
 * (out/cli/) it is a sibling .js bundle named in scripts/build-cli.ts.
 */
export function workerScript(callerUrl: string, sourceFile: string, bundleFile: string): URL {
  return new URL(callerUrl.endsWith('.ts') ? sourceFile : bundleFile, callerUrl);
}
