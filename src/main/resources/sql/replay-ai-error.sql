-- Replays a dead letter once: marks it replayed and puts its original bytes back on their topic through
-- the outbox, in one statement. Nothing comes back when it is unknown to the tenant or already replayed.
WITH claimed AS (
    UPDATE ai_errors
    SET replayed_at = now()
    WHERE error_id = :#error_id
      AND tenant_id = :#tenant_id
      AND replayed_at IS NULL
    RETURNING error_id, tenant_id, lead_id, original_topic, original_key, payload
), reset AS (
    UPDATE leads l
    SET status = 'enriching', updated_at = now()
    FROM claimed c
    WHERE l.lead_id = c.lead_id AND l.tenant_id = c.tenant_id AND l.status = 'ai_failed'
)
INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at, traceparent, tracestate)
SELECT gen_random_uuid(), c.original_topic, coalesce(c.original_key, c.error_id::text), c.tenant_id,
       convert_from(c.payload, 'UTF8'), now(), :#traceparent, :#tracestate
FROM claimed c
RETURNING event_id, topic, message_key
