import type Database from 'better-sqlite3';
import type { CostRow } from '../../contracts/cost.ts';
import { DimsCache } from './cost-dims.ts';
import { chargeFingerprint, occurrenceFingerprint, promptHash } from './cost-identity.ts';
import { DailyRollup } from './cost-rollup.ts';

const INSERT_ITEM = `INSERT INTO cost_items (file_id, line, fingerprint, dims_id, period_start, period_end,
  billed_nanos, effective_nanos, list_nanos, quantity, input_tokens, cached_input_tokens, cache_write_tokens,
  output_tokens, requests, prompt_hash, prompt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export type RowOutcome = 'imported' | 'duplicate';

/**
 * The store's fingerprints as of its last import through this connection. Importing several files
 * would otherwise read every stored fingerprint again for each one; the row count tells whether
 * anything else changed the store since (rows are never deleted, so an equal count means no change).
 */
const knownFingerprints = new WeakMap<Database.Database, { fingerprints: Set<string>; rows: number }>();

function storedFingerprints(db: Database.Database): Set<string> {
  const rows = db.prepare('SELECT count(*) FROM cost_items').pluck().get() as number;
  const known = knownFingerprints.get(db);
  if (known && known.rows === rows) return known.fingerprints;
  const fingerprints = new Set(db.prepare('SELECT fingerprint FROM cost_items').pluck().all() as string[]);
  knownFingerprints.set(db, { fingerprints, rows });
  return fingerprints;
}

// Formats share one frozen tags object among rows with the same tags; serialize it once.
const tagsJsonCache = new WeakMap<object, string>();

function tagsJsonOf(tags: Readonly<Record<string, string>> | null): string | null {
  if (!tags) return null;
  let json = tagsJsonCache.get(tags);
  if (json === undefined) {
    json = JSON.stringify(tags);
    tagsJsonCache.set(tags, json);
  }
  return json;
}

/**
 * Stores one file's rows. Must be used inside the file's write transaction: it reads the store's
 * fingerprints once at the start (no other writer can add any until COMMIT), and the rollup and
 * resource tags are written by finish(), so a crash before COMMIT leaves everything as it was.
 */
export class CostRowWriter {
  private readonly db: Database.Database;
  private readonly fileId: number;
  private readonly insert: Database.Statement;
  private readonly dims: DimsCache;
  private readonly saveTags: Database.Statement;
  private readonly rollup = new DailyRollup();
  private readonly tags = new Map<string, { provider: string; resourceId: string; json: string }>();
  private readonly stored: Set<string>;
  private readonly mine = new Set<string>();
  // Next occurrence to try per charge, kept only for charges seen more than once.
  private readonly nextOccurrence = new Map<string, number>();

  constructor(db: Database.Database, fileId: number) {
    this.db = db;
    this.fileId = fileId;
    this.insert = db.prepare(INSERT_ITEM);
    this.dims = new DimsCache(db);
    this.saveTags = db.prepare(
      `INSERT INTO resource_tags (provider, resource_id, tags) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET tags = excluded.tags`,
    );
    this.stored = storedFingerprints(db);
  }

  /** `first` is the row's chargeFingerprint(), when the caller computed it already (off this thread). */
  add(row: CostRow, line: number, first: string = chargeFingerprint(row)): RowOutcome {
    for (let occurrence = this.nextOccurrence.get(first) ?? 0; ; occurrence++) {
      const fingerprint = occurrenceFingerprint(first, occurrence);
      // Taken by an earlier row of this same file: a genuine repeat, stored as the next occurrence.
      if (this.mine.has(fingerprint)) continue;
      if (occurrence > 0 || this.stored.has(fingerprint)) this.nextOccurrence.set(first, occurrence + 1);
      if (this.stored.has(fingerprint)) return 'duplicate';
      this.mine.add(fingerprint);
      this.store(row, line, fingerprint);
      return 'imported';
    }
  }

  /** Writes the rollup and tags; the caller commits right after, so the rows become known ones. */
  finish(): void {
    for (const fingerprint of this.mine) this.stored.add(fingerprint);
    const known = knownFingerprints.get(this.db);
    if (known) known.rows += this.mine.size;
    this.rollup.flush(this.db);
    for (const t of this.tags.values()) this.saveTags.run(t.provider, t.resourceId, t.json);
    this.tags.clear();
  }

  private store(row: CostRow, line: number, fingerprint: string): void {
    const tagsJson = tagsJsonOf(row.tags);
    const result = this.insert.run(
      this.fileId,
      line,
      fingerprint,
      this.dims.idOf(row, tagsJson),
      row.chargePeriodStart,
      row.chargePeriodEnd,
      row.billedCostNanos,
      row.effectiveCostNanos,
      row.listCostNanos,
      row.consumedQuantity,
      row.inputTokens,
      row.cachedInputTokens,
      row.cacheWriteTokens,
      row.outputTokens,
      row.requests,
      row.prompt === null ? null : promptHash(row.prompt),
      row.prompt,
    );
    this.rollup.add(row, Number(result.lastInsertRowid));
    if (tagsJson !== null && row.resourceId !== null) {
      this.tags.set(`${row.provider}\u001f${row.resourceId}`, {
        provider: row.provider,
        resourceId: row.resourceId,
        json: tagsJson,
      });
    }
  }
}
