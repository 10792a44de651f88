/**
 * Migration 4: counterfactual accounting. Every usage event keeps what the original request would
 * have cost (baseline) beside what it cost, the saving split by optimizer, and the proof-of-value
 * arm it was assigned to, so realized savings can be summed and checked against a control group.
 * Events stored before this migration were never optimized: their baseline is their cost.
 */
export const ADD_SAVINGS_COLUMNS = `
ALTER TABLE usage_events ADD COLUMN baseline_cost_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN saved_exact_cache_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN saved_semantic_cache_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN saved_compression_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN saved_routing_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN saved_prompt_caching_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN saved_service_tier_nanos INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_events ADD COLUMN arm TEXT;
ALTER TABLE usage_events ADD COLUMN unit_id TEXT;
ALTER TABLE usage_events ADD COLUMN route TEXT;
ALTER TABLE usage_events ADD COLUMN optimizations TEXT;
UPDATE usage_events SET baseline_cost_nanos = cost_nanos;

ALTER TABLE usage_daily ADD COLUMN baseline_cost_nanos INTEGER NOT NULL DEFAULT 0;
UPDATE usage_daily SET baseline_cost_nanos = cost_nanos;

DROP TRIGGER usage_daily_on_insert;
CREATE TRIGGER usage_daily_on_insert AFTER INSERT ON usage_events BEGIN
  INSERT INTO usage_daily VALUES (
    NEW.ts / 86400000, NEW.provider, NEW.model_requested, coalesce(NEW.key_id, ''), coalesce(NEW.project, ''),
    1, CASE WHEN NEW.error_class IS NOT NULL OR NEW.status >= 400 THEN 1 ELSE 0 END,
    NEW.input_tokens, NEW.output_tokens, NEW.cached_input_tokens, NEW.cost_nanos, NEW.latency_us,
    NEW.baseline_cost_nanos)
  ON CONFLICT DO UPDATE SET
    requests = requests + 1,
    errors = errors + excluded.errors,
    input_tokens = input_tokens + excluded.input_tokens,
    output_tokens = output_tokens + excluded.output_tokens,
    cached_tokens = cached_tokens + excluded.cached_tokens,
    cost_nanos = cost_nanos + excluded.cost_nanos,
    latency_us_sum = latency_us_sum + excluded.latency_us_sum,
    baseline_cost_nanos = baseline_cost_nanos + excluded.baseline_cost_nanos;
END;

-- Proof-of-value queries group by arm over a time window.
CREATE INDEX usage_events_by_arm ON usage_events (arm, ts) WHERE arm IS NOT NULL;
`;
