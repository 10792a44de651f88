import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { WriterActivity } from '../../analytics/writer/usage-writer.ts';

const dirs: string[] = [];

/** A fresh directory per test, removed afterwards. */
export function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apex-analytics-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export async function waitFor(
  condition: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Collects a writer's activity so a test can assert order or wait for a step. */
export class ActivityLog {
  readonly entries: WriterActivity[] = [];
  readonly listener = (activity: WriterActivity): void => {
    this.entries.push(activity);
  };

  count(type: WriterActivity['type']): number {
    return this.entries.filter((entry) => entry.type === type).length;
  }

  types(): string[] {
    return this.entries
      .map((entry) => entry.type)
      .filter((type) => type !== 'replay-progress' && type !== 'busy');
  }
}

/** Reads the table from a separate connection, as a dashboard would. */
export function storedIds(dbFile: string): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db
      .prepare<[], { id: string }>('SELECT id FROM usage_events ORDER BY id')
      .all()
      .map((row) => row.id);
  } finally {
    db.close();
  }
}

/**
 * Runs a node script and SIGKILLs it as soon as it prints MID (it does so inside an open
 * transaction); resolves with the signal, rejects if the script ended any other way.
 */
export function killWhenMidway(script: string, args: readonly string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('MID')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(signal);
      else reject(new Error(`child exited with code ${code} instead of being killed: ${stderr}`));
    });
  });
}
