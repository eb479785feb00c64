-- Keyset paging, newest first: the page after (after_created_at, after_lead_id), one row more than
-- the page size so the caller knows whether another page follows.
SELECT l.lead_id, l.tenant_id, l.business_id, l.source, l.name, l.email, l.phone,
       l.initial_message, l.status, l.intent, l.intent_confidence, l.entities::text AS entities,
       l.enriched_at, l.created_at, l.updated_at
FROM leads l
WHERE l.tenant_id = :#tenant_id
  AND (CAST(:#status AS text) IS NULL OR l.status = CAST(:#status AS text))
  AND (CAST(:#after_created_at AS timestamptz) IS NULL
       OR (l.created_at, l.lead_id) < (CAST(:#after_created_at AS timestamptz), CAST(:#after_lead_id AS uuid)))
ORDER BY l.created_at DESC, l.lead_id DESC
LIMIT CAST(:#fetch_size AS integer)
