-- The batch's rows are published; a new lead whose event one of them was is now being enriched.
WITH published AS (
    UPDATE outbox SET published_at = now()
    WHERE id IN (:#in:ids)
    RETURNING message_key, tenant_id
)
UPDATE leads l
SET status = 'enriching', updated_at = now()
FROM published p
WHERE l.status = 'new'
  AND l.tenant_id = p.tenant_id
  -- keys of lead events are lead ids; any other key matches no lead
  AND l.lead_id = CASE WHEN p.message_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                       THEN CAST(p.message_key AS uuid) END
