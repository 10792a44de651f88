import type Database from 'better-sqlite3';
import type { CostRow } from '../../contracts/cost.ts';
import { chargeIdentity, fingerprintOf, promptHash } from './cost-identity.ts';
import { DailyRollup } from './cost-rollup.ts';

const ROW_COLUMNS = [
  'file_id',
  'line',
  'fingerprint',
  'kind',
  'period_start',
  'period_end',
  'provider',
  'service_name',
  'service_category',
  'account',
  'region',
  'resource_id',
  'resource_type',
  'sku_id',
  'charge_description',
  'pricing_category',
  'billed_nanos',
  'effective_nanos',
  'list_nanos',
  'quantity',
  'unit',
  'currency',
  'tags',
  'model',
  'project',
  'api_key',
  'input_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'output_tokens',
  'requests',
  'batch',
  'prompt_hash',
  'prompt',
] as const;

const INSERT_ROW = `INSERT OR IGNORE INTO cost_rows (${ROW_COLUMNS.join(', ')})
  VALUES (${ROW_COLUMNS.map(() => '?').join(', ')})`;

export type RowOutcome = 'imported' | 'duplicate';

/**
 * Stores one file's rows. Must be used inside the file's transaction: the rollup and resource tags are
 * written by finish(), so a crash before COMMIT leaves rows, rollup and tags all as they were.
 */
export class CostRowWriter {
  private readonly insert: Database.Statement;
  private readonly ownerOf: Database.Statement;
  private readonly saveTags: Database.Statement;
  private readonly rollup = new DailyRollup();
  private readonly tags = new Map<string, { provider: string; resourceId: string; json: string }>();
  // Next occurrence to try per identity, kept only for identities that already collided.
  private readonly nextOccurrence = new Map<string, number>();

  private readonly db: Database.Database;
  private readonly fileId: number;

  constructor(db: Database.Database, fileId: number) {
    this.db = db;
    this.fileId = fileId;
    this.insert = db.prepare(INSERT_ROW);
    this.ownerOf = db.prepare('SELECT file_id FROM cost_rows WHERE fingerprint = ?').pluck();
    this.saveTags = db.prepare(
      `INSERT INTO resource_tags (provider, resource_id, tags) VALUES (?, ?, ?)
       ON CONFLICT DO UPDATE SET tags = excluded.tags`,
    );
  }

  add(row: CostRow, line: number): RowOutcome {
    const identity = chargeIdentity(row);
    const tagsJson = row.tags ? JSON.stringify(row.tags) : null;
    for (let occurrence = this.nextOccurrence.get(identity) ?? 0; ; occurrence++) {
      const fingerprint = fingerprintOf(identity, occurrence);
      const result = this.insert.run(...this.values(row, line, fingerprint, tagsJson));
      if (result.changes === 1) {
        if (occurrence > 0) this.nextOccurrence.set(identity, occurrence + 1);
        this.afterInsert(row, Number(result.lastInsertRowid), tagsJson);
        return 'imported';
      }
      // Taken by an earlier row of this same file: a genuine repeat, so store it as the next occurrence.
      if (this.ownerOf.get(fingerprint) === this.fileId) continue;
      this.nextOccurrence.set(identity, occurrence + 1);
      return 'duplicate';
    }
  }

  finish(): void {
    this.rollup.flush(this.db);
    for (const t of this.tags.values()) this.saveTags.run(t.provider, t.resourceId, t.json);
    this.tags.clear();
  }

  private afterInsert(row: CostRow, rowId: number, tagsJson: string | null): void {
    this.rollup.add(row, rowId);
    if (tagsJson !== null && row.resourceId !== null) {
      const key = `${row.provider}\u001f${row.resourceId}`;
      this.tags.set(key, { provider: row.provider, resourceId: row.resourceId, json: tagsJson });
    }
  }

  private values(row: CostRow, line: number, fingerprint: string, tagsJson: string | null): unknown[] {
    return [
      this.fileId,
      line,
      fingerprint,
      row.kind,
      row.chargePeriodStart,
      row.chargePeriodEnd,
      row.provider,
      row.serviceName,
      row.serviceCategory,
      row.account,
      row.region,
      row.resourceId,
      row.resourceType,
      row.skuId,
      row.chargeDescription,
      row.pricingCategory,
      row.billedCostNanos,
      row.effectiveCostNanos,
      row.listCostNanos,
      row.consumedQuantity,
      row.consumedUnit,
      row.billingCurrency,
      tagsJson,
      row.model,
      row.project,
      row.apiKey,
      row.inputTokens,
      row.cachedInputTokens,
      row.cacheWriteTokens,
      row.outputTokens,
      row.requests,
      row.batch === null ? null : row.batch ? 1 : 0,
      row.prompt === null ? null : promptHash(row.prompt),
      row.prompt,
    ];
  }
}
