/**
 * Migration 3: a per-day rollup of proxied requests, kept by a trigger in the same transaction as
 * each batch of usage events, so dashboard queries over a million requests read a few hundred rows.
 */
export const CREATE_USAGE_DAILY = `
CREATE TABLE usage_daily (
  day            INTEGER NOT NULL,
  provider       TEXT    NOT NULL,
  model          TEXT    NOT NULL,
  key_id         TEXT    NOT NULL,
  project        TEXT    NOT NULL,
  requests       INTEGER NOT NULL,
  errors         INTEGER NOT NULL,
  input_tokens   INTEGER NOT NULL,
  output_tokens  INTEGER NOT NULL,
  cached_tokens  INTEGER NOT NULL,
  cost_nanos     INTEGER NOT NULL,
  latency_us_sum INTEGER NOT NULL,
  PRIMARY KEY (day, provider, model, key_id, project)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER usage_daily_on_insert AFTER INSERT ON usage_events BEGIN
  INSERT INTO usage_daily VALUES (
    NEW.ts / 86400000, NEW.provider, NEW.model_requested, coalesce(NEW.key_id, ''), coalesce(NEW.project, ''),
    1, CASE WHEN NEW.error_class IS NOT NULL OR NEW.status >= 400 THEN 1 ELSE 0 END,
    NEW.input_tokens, NEW.output_tokens, NEW.cached_input_tokens, NEW.cost_nanos, NEW.latency_us)
  ON CONFLICT DO UPDATE SET
    requests = requests + 1,
    errors = errors + excluded.errors,
    input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cached_tokens = cached_tokens + excluded.cached_tokens,
    cost_nanos = cost_nanos + excluded.cost_nanos,
    latency_us_sum = latency_us_sum + excluded.latency_us_sum;
END;

-- Stores written before this migration get their history rolled up once.
INSERT INTO usage_daily
SELECT ts / 86400000, provider, model_requested, coalesce(key_id, ''), coalesce(project, ''), count(*),
       sum(CASE WHEN error_class IS NOT NULL OR status >= 400 THEN 1 ELSE 0 END),
       sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cost_nanos), sum(latency_us)
FROM usage_events GROUP BY 1, 2, 3, 4, 5;
`;
