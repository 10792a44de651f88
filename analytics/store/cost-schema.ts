/**
 * Schema of imported bills and usage exports (migration 2). `cost_rows` keeps every normalized row with
 * its file and line; `cost_daily` is the rollup the waste report and dashboards read, kept in step with
 * `cost_rows` inside each import's transaction so analysis never scans a million rows.
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

CREATE TABLE cost_rows (
  id                  INTEGER PRIMARY KEY,
  file_id             INTEGER NOT NULL REFERENCES import_files (id),
  line                INTEGER NOT NULL,
  -- Identity of the charge across exports (a CUR and a FOCUS file of one account share rows).
  fingerprint         TEXT    NOT NULL UNIQUE,
  kind                TEXT    NOT NULL CHECK (kind IN ('cost', 'usage')),
  period_start        INTEGER NOT NULL,
  period_end          INTEGER NOT NULL,
  provider            TEXT    NOT NULL,
  service_name        TEXT    NOT NULL,
  service_category    TEXT,
  account             TEXT,
  region              TEXT,
  resource_id         TEXT,
  resource_type       TEXT,
  sku_id              TEXT,
  charge_description  TEXT,
  pricing_category    TEXT,
  billed_nanos        INTEGER NOT NULL,
  effective_nanos     INTEGER NOT NULL,
  list_nanos          INTEGER,
  quantity            REAL,
  unit                TEXT,
  currency            TEXT    NOT NULL,
  tags                TEXT,
  model               TEXT,
  project             TEXT,
  api_key             TEXT,
  input_tokens        INTEGER,
  cached_input_tokens INTEGER,
  cache_write_tokens  INTEGER,
  output_tokens       INTEGER,
  requests            INTEGER,
  batch               INTEGER CHECK (batch IN (0, 1)),
  prompt_hash         TEXT,
  prompt              TEXT
) STRICT;

-- Partial: only Apex's own log has prompts, so the other million rows cost this index nothing.
CREATE INDEX cost_rows_by_prompt ON cost_rows (prompt_hash) WHERE prompt_hash IS NOT NULL;

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
