-- The message and its lead.message event in one statement, hence one transaction.
WITH message AS (
    INSERT INTO lead_messages (message_id, lead_id, tenant_id, business_id, message_text, created_at)
    VALUES (:#message_id, :#lead_id, :#tenant_id, :#business_id, :#message_text, :#created_at)
    RETURNING message_id
)
INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at, traceparent, tracestate)
SELECT :#event_id, :#topic, :#message_key, :#tenant_id, :#payload, :#created_at, :#traceparent, :#tracestate
FROM message
