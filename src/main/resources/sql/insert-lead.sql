-- The lead and its lead.created event in one statement, hence one transaction.
WITH lead AS (
    INSERT INTO leads (lead_id, tenant_id, business_id, source, name, email, phone,
                       initial_message, status, created_at, updated_at)
    VALUES (:#lead_id, :#tenant_id, :#business_id, :#source, :#name, :#email, :#phone,
            :#initial_message, 'new', :#created_at, :#created_at)
    RETURNING lead_id
)
INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at, traceparent, tracestate)
SELECT :#event_id, :#topic, :#message_key, :#tenant_id, :#payload, :#created_at, :#traceparent, :#tracestate
FROM lead
