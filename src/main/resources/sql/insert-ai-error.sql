-- A dead letter, stored once however often ai.error is read; its lead, if any, is marked ai_failed unless
-- it has been enriched since.
WITH stored AS (
    INSERT INTO ai_errors (error_id, tenant_id, lead_id, event_id, original_topic, original_partition,
                           original_offset, original_key, payload, exception_class, cause_class, reason, attempts,
                           route_id, failed_at)
    VALUES (:#error_id, :#tenant_id, :#lead_id, :#event_id, :#original_topic, CAST(:#original_partition AS integer),
            CAST(:#original_offset AS bigint), :#original_key, :#payload, :#exception_class, :#cause_class, :#reason,
            CAST(:#attempts AS integer), :#route_id, :#failed_at)
    ON CONFLICT (original_topic, original_partition, original_offset) DO NOTHING
    RETURNING lead_id, tenant_id
)
UPDATE leads l
SET status = 'ai_failed', updated_at = now()
FROM stored s
WHERE l.lead_id = s.lead_id
  AND l.tenant_id = s.tenant_id
  AND l.status <> 'enriched'
