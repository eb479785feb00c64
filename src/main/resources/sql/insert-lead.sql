-- The lead and its lead.created event in one statement, hence one transaction. It answers with the lead as
-- stored: a second query after the commit could fail (the database going away) and answer an error for a
-- lead that exists, which a client retrying would then create twice.
WITH lead AS (
    INSERT INTO leads (lead_id, tenant_id, business_id, source, name, email, phone,
                       initial_message, status, created_at, updated_at)
    VALUES (:#lead_id, :#tenant_id, :#business_id, :#source, :#name, :#email, :#phone,
            :#initial_message, 'new', :#created_at, :#created_at)
    RETURNING lead_id, tenant_id, business_id, source, name, email, phone, initial_message, status, intent,
              intent_confidence, entities::text AS entities, enriched_at, created_at, updated_at
), event AS (
    INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at, traceparent, tracestate)
    SELECT :#event_id, :#topic, :#message_key, :#tenant_id, :#payload, :#created_at, :#traceparent, :#tracestate
    FROM lead
)
-- the columns of select-lead.sql; a new lead has no messages yet
SELECT lead.*, NULL::uuid AS latest_message_id, NULL::text AS latest_message_text
FROM lead
