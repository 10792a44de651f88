import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

/** Layout of `<dataDir>/usage-spill/`: one growing file plus sealed files awaiting replay. */
export const SPILL_DIR_NAME = 'usage-spill';
export const ACTIVE_SPILL_NAME = 'active.jsonl';
export const REJECTED_NAME = 'rejected.jsonl';
const SEALED_PATTERN = /^sealed-\d+-\d+-\d+\.jsonl$/;

let sealCounter = 0;

export function spillDirOf(dataDir: string): string {
  return join(dataDir, SPILL_DIR_NAME);
}

export function ensureSpillDir(dataDir: string): string {
  const dir = spillDirOf(dataDir);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function activeSpillPath(spillDir: string): string {
  return join(spillDir, ACTIVE_SPILL_NAME);
}

/** Time first so a plain sort replays oldest first; pid + counter keep names unique. */
export function newSealedPath(spillDir: string): string {
  sealCounter += 1;
  const stamp = String(Date.now()).padStart(15, '0');
  return join(spillDir, `sealed-${stamp}-${process.pid}-${sealCounter}.jsonl`);
}

export function listSealedSpills(spillDir: string): string[] {
  return readdirSync(spillDir)
    .filter((name) => SEALED_PATTERN.test(name))
    .sort()
    .map((name) => join(spillDir, name));
}

/** Seals an active file an earlier process left behind; nothing is appending to it any more. */
export function sealLeftoverActive(spillDir: string): string | null {
  const sealed = newSealedPath(spillDir);
  try {
    renameSync(activeSpillPath(spillDir), sealed);
    return sealed;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
