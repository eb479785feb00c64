-- One lead of one tenant, with the text of its latest message (for re-processing).
SELECT l.lead_id, l.tenant_id, l.business_id, l.source, l.name, l.email, l.phone,
       l.initial_message, l.status, l.intent, l.intent_confidence, l.entities::text AS entities,
       l.enriched_at, l.created_at, l.updated_at,
       latest.message_id AS latest_message_id, latest.message_text AS latest_message_text
FROM leads l
LEFT JOIN LATERAL (
    SELECT m.message_id, m.message_text
    FROM lead_messages m
    WHERE m.lead_id = l.lead_id AND m.tenant_id = l.tenant_id
    ORDER BY m.created_at DESC, m.message_id DESC
    LIMIT 1
) latest ON true
WHERE l.lead_id = :#lead_id
  AND l.tenant_id = :#tenant_id
