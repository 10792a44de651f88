import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { groupKey, type DeferredJob, type DeferredRecord, type DeferredState } from './job.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS deferred_requests (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'submitted', 'done', 'failed')),
  group_key TEXT NOT NULL,
  batch_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  job TEXT NOT NULL,
  result_status INTEGER,
  result_body BLOB,
  completed_at INTEGER
);
CREATE INDEX IF NOT EXISTS deferred_by_state ON deferred_requests (state, group_key, created_at);
CREATE INDEX IF NOT EXISTS deferred_by_batch ON deferred_requests (batch_id);
`;

interface Row {
  id: string;
  state: DeferredState;
  batch_id: string | null;
  attempts: number;
  job: string;
  result_status: number | null;
  result_body: Buffer | null;
  completed_at: number | null;
}

export interface SubmittedBatch {
  batchId: string;
  providerName: string;
  ids: string[];
}

/**
 * Durable state of deferred requests, in its own SQLite file beside the usage store. A request is
 * written before the client gets its receipt, so a restart resumes queued and submitted work
 * instead of losing it. Only deferred traffic touches this file; the hot path never does.
 */
export class DeferredStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  add(job: DeferredJob): void {
    this.db
      .prepare(
        `INSERT INTO deferred_requests (id, created_at, state, group_key, job) VALUES (?, ?, 'queued', ?, ?)`,
      )
      .run(job.id, job.createdAt, groupKey(job), JSON.stringify(job));
  }

  get(id: string): DeferredRecord | null {
    const row = this.db.prepare(`SELECT * FROM deferred_requests WHERE id = ?`).get(id) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /** Queued requests by group, oldest first: what the next submission round may send. */
  queuedGroups(): Map<string, DeferredJob[]> {
    const rows = this.db
      .prepare(`SELECT group_key, job FROM deferred_requests WHERE state = 'queued' ORDER BY created_at, id`)
      .all() as Array<{ group_key: string; job: string }>;
    const groups = new Map<string, DeferredJob[]>();
    for (const row of rows) {
      const list = groups.get(row.group_key) ?? [];
      list.push(JSON.parse(row.job) as DeferredJob);
      groups.set(row.group_key, list);
    }
    return groups;
  }

  markSubmitted(ids: readonly string[], batchId: string): void {
    const update = this.db.prepare(
      `UPDATE deferred_requests SET state = 'submitted', batch_id = ?, attempts = attempts + 1
       WHERE id = ? AND state = 'queued'`,
    );
    this.db.transaction(() => ids.forEach((id) => update.run(batchId, id)))();
  }

  submittedBatches(): SubmittedBatch[] {
    const rows = this.db
      .prepare(`SELECT batch_id, id, job FROM deferred_requests WHERE state = 'submitted' ORDER BY batch_id`)
      .all() as Array<{ batch_id: string; id: string; job: string }>;
    const batches = new Map<string, SubmittedBatch>();
    for (const row of rows) {
      const batch = batches.get(row.batch_id) ?? {
        batchId: row.batch_id,
        providerName: (JSON.parse(row.job) as DeferredJob).providerName,
        ids: [],
      };
      batch.ids.push(row.id);
      batches.set(row.batch_id, batch);
    }
    return [...batches.values()];
  }

  /** Records a final outcome; a request already finished keeps its first one. */
  finish(id: string, state: 'done' | 'failed', status: number, body: Buffer, at: number): boolean {
    const result = this.db
      .prepare(
        `UPDATE deferred_requests SET state = ?, result_status = ?, result_body = ?, completed_at = ?
         WHERE id = ? AND state IN ('queued', 'submitted')`,
      )
      .run(state, status, body, at, id);
    return result.changes === 1;
  }

  /** Puts submitted requests back in the queue (their batch expired before reaching them). */
  requeue(ids: readonly string[]): void {
    const update = this.db.prepare(
      `UPDATE deferred_requests SET state = 'queued', batch_id = NULL WHERE id = ? AND state = 'submitted'`,
    );
    this.db.transaction(() => ids.forEach((id) => update.run(id)))();
  }

  /** Forgets finished requests completed before `before`; their usage is already recorded. */
  purgeFinished(before: number): number {
    return this.db
      .prepare(`DELETE FROM deferred_requests WHERE state IN ('done', 'failed') AND completed_at < ?`)
      .run(before).changes;
  }

  counts(): Record<DeferredState, number> {
    const counts: Record<DeferredState, number> = { queued: 0, submitted: 0, done: 0, failed: 0 };
    const rows = this.db
      .prepare(`SELECT state, COUNT(*) AS n FROM deferred_requests GROUP BY state`)
      .all() as Array<{ state: DeferredState; n: number }>;
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  close(): void {
    this.db.close();
  }
}

function toRecord(row: Row): DeferredRecord {
  return {
    job: JSON.parse(row.job) as DeferredJob,
    state: row.state,
    batchId: row.batch_id,
    attempts: row.attempts,
    resultStatus: row.result_status,
    resultBody: row.result_body,
    completedAt: row.completed_at,
  };
}

/** Prometheus gauges of the deferred queue, so a stuck batch shows on a dashboard. */
export function deferredMetrics(store: DeferredStore): string {
  const counts = store.counts();
  const name = 'apex_deferred_requests';
  const rows = Object.entries(counts).map(([state, n]) => `${name}{state="${state}"} ${n}\n`);
  return `# HELP ${name} Deferred (batch) requests by state\n# TYPE ${name} gauge\n${rows.join('')}`;
}
