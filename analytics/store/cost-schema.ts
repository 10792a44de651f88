/**
 * Schema of imported bills and usage exports (migration 2). `cost_items` and `cost_dims`, read together
 * through the `cost_rows` view, keep every normalized row with its file and line; `cost_daily` is the
 * rollup the waste report and dashboards read, written in the same transaction as the rows it sums,
 * so analysis never scans a million rows.
 */
export const CREATE_COST_TABLES = `
CREATE TABLE import_files (
  id             INTEGER PRIMARY KEY,
  content_sha256 TEXT    NOT NULL UNIQUE,
  path           TEXT    NOT NULL,
  format         TEXT    NOT NULL,
  imported_at    INTEGER NOT NULL,
  rows_read      INTEGER NOT NULL,
  rows_imported  INTEGER NOT NULL,
  rows_duplicate INTEGER NOT NULL,
  rows_skipped   INTEGER NOT NULL,
  issues_json    TEXT    NOT NULL
) STRICT;

-- What repeats from row to row of a bill (provider, service, resource, SKU, tags, model, key...) is
-- stored once here; cost_items stays narrow, which is what makes a million-row import fast.
CREATE TABLE cost_dims (
  id                 INTEGER PRIMARY KEY,
  dims_key           TEXT    NOT NULL UNIQUE,
  kind               TEXT    NOT NULL CHECK (kind IN ('cost', 'usage')),
  provider           TEXT    NOT NULL,
  service_name       TEXT    NOT NULL,
  service_category   TEXT,
  account            TEXT,
  region             TEXT,
  resource_id        TEXT,
  resource_type      TEXT,
  sku_id             TEXT,
  charge_description TEXT,
  pricing_category   TEXT,
  unit               TEXT,
  currency           TEXT    NOT NULL,
  tags               TEXT,
  model              TEXT,
  project            TEXT,
  api_key            TEXT,
  batch              INTEGER CHECK (batch IN (0, 1))
) STRICT;

-- One row per imported record (or per row a record yields), with its file and line. No index on
-- fingerprint: the importer holds the store's fingerprints in memory inside its write transaction,
-- because a unique index over random hashes costs more than the rest of the insert.
CREATE TABLE cost_items (
  id                  INTEGER PRIMARY KEY,
  file_id             INTEGER NOT NULL REFERENCES import_files (id),
  line                INTEGER NOT NULL,
  fingerprint         TEXT    NOT NULL,
  dims_id             INTEGER NOT NULL REFERENCES cost_dims (id),
  period_start        INTEGER NOT NULL,
  period_end          INTEGER NOT NULL,
  billed_nanos        INTEGER NOT NULL,
  effective_nanos     INTEGER NOT NULL,
  list_nanos          INTEGER,
  quantity            REAL,
  input_tokens        INTEGER,
  cached_input_tokens INTEGER,
  cache_write_tokens  INTEGER,
  output_tokens       INTEGER,
  requests            INTEGER,
  prompt_hash         TEXT,
  prompt              TEXT
) STRICT;

-- Partial: only Apex's own log has prompts, so the other million rows cost this index nothing.
CREATE INDEX cost_items_by_prompt ON cost_items (prompt_hash) WHERE prompt_hash IS NOT NULL;

-- Every imported row with all of its columns, for evidence queries and anyone reading the store.
CREATE VIEW cost_rows AS
SELECT i.id, i.file_id, i.line, i.fingerprint, d.kind, i.period_start, i.period_end, d.provider,
       d.service_name, d.service_category, d.account, d.region, d.resource_id, d.resource_type, d.sku_id,
       d.charge_description, d.pricing_category, i.billed_nanos, i.effective_nanos, i.list_nanos,
       i.quantity, d.unit, d.currency, d.tags, d.model, d.project, d.api_key, i.input_tokens,
       i.cached_input_tokens, i.cache_write_tokens, i.output_tokens, i.requests, d.batch, i.prompt_hash,
       i.prompt
FROM cost_items i JOIN cost_dims d ON d.id = i.dims_id;

-- Dimensions are '' rather than NULL: SQLite treats NULLs as distinct in a UNIQUE key.
CREATE TABLE cost_daily (
  day                 INTEGER NOT NULL,
  kind                TEXT    NOT NULL,
  provider            TEXT    NOT NULL,
  service_name        TEXT    NOT NULL,
  account             TEXT    NOT NULL,
  region              TEXT    NOT NULL,
  resource_id         TEXT    NOT NULL,
  resource_type       TEXT    NOT NULL,
  pricing_category    TEXT    NOT NULL,
  unit                TEXT    NOT NULL,
  model               TEXT    NOT NULL,
  project             TEXT    NOT NULL,
  api_key             TEXT    NOT NULL,
  batch               INTEGER NOT NULL,
  currency            TEXT    NOT NULL,
  rows                INTEGER NOT NULL,
  billed_nanos        INTEGER NOT NULL,
  effective_nanos     INTEGER NOT NULL,
  list_nanos          INTEGER NOT NULL,
  quantity            REAL    NOT NULL,
  input_tokens        INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cache_write_tokens  INTEGER NOT NULL,
  output_tokens       INTEGER NOT NULL,
  requests            INTEGER NOT NULL,
  -- Rows whose source gave a request count; averages per request only use these.
  counted_rows        INTEGER NOT NULL,
  period_start        INTEGER NOT NULL,
  period_end          INTEGER NOT NULL,
  first_row_id        INTEGER NOT NULL,
  PRIMARY KEY (day, kind, provider, service_name, account, region, resource_id, resource_type,
               pricing_category, unit, model, project, api_key, batch, currency)
) STRICT, WITHOUT ROWID;

-- Latest tags per resource; utilization tags feed the idle-GPU finding.
CREATE TABLE resource_tags (
  provider    TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  tags        TEXT NOT NULL,
  PRIMARY KEY (provider, resource_id)
) STRICT, WITHOUT ROWID;
`;
