import type Database from 'better-sqlite3';
import type { CostRow } from '../../contracts/cost.ts';

const COLUMNS = [
  'dims_key',
  'kind',
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
  'unit',
  'currency',
  'tags',
  'model',
  'project',
  'api_key',
  'batch',
] as const;

/** Ids of the distinct descriptive parts of rows, created on first sight and cached for the import. */
export class DimsCache {
  private readonly ids = new Map<string, number>();
  private readonly insert: Database.Statement;
  private readonly find: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO cost_dims (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`,
    );
    this.find = db.prepare('SELECT id FROM cost_dims WHERE dims_key = ?').pluck();
  }

  idOf(row: CostRow, tagsJson: string | null): number {
    const values = dimsValues(row, tagsJson);
    const key = values.join('\u001f');
    const cached = this.ids.get(key);
    if (cached !== undefined) return cached;
    const result = this.insert.run(key, ...values);
    const id = result.changes === 1 ? Number(result.lastInsertRowid) : (this.find.get(key) as number);
    this.ids.set(key, id);
    return id;
  }
}

function dimsValues(row: CostRow, tagsJson: string | null): Array<string | number | null> {
  return [
    row.kind,
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
    row.consumedUnit,
    row.billingCurrency,
    tagsJson,
    row.model,
    row.project,
    row.apiKey,
    row.batch === null ? null : row.batch ? 1 : 0,
  ];
}
