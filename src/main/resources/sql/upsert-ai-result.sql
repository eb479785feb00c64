-- One result, one statement: the ai_results row (first delivery wins), then, only if that row is new, the
-- lead (results of lead.created and of requests about a lead) or the message it enriches. A redelivered or
-- replayed result changes nothing.
WITH stored AS (
    INSERT INTO ai_results (source_event_id, result_event_id, source_topic, tenant_id, business_id, lead_id,
                            message_id, text, intent, intent_confidence, entities, result, processed_at,
                            processing_ms)
    VALUES (CAST(:#source_event_id AS uuid), CAST(:#result_event_id AS uuid), :#source_topic, :#tenant_id,
            :#business_id, CAST(:#lead_id AS uuid), CAST(:#message_id AS uuid), :#text, :#intent,
            CAST(:#intent_confidence AS double precision), CAST(:#entities AS jsonb), CAST(:#result AS jsonb),
            CAST(:#processed_at AS timestamptz), CAST(:#processing_ms AS integer))
    ON CONFLICT (source_event_id) DO NOTHING
    RETURNING lead_id, message_id, tenant_id, intent, intent_confidence, entities, processed_at
), lead AS (
    UPDATE leads l
    SET status = 'enriched', intent = s.intent, intent_confidence = s.intent_confidence, entities = s.entities,
        enriched_at = s.processed_at, updated_at = now()
    FROM stored s
    WHERE s.message_id IS NULL
      AND l.lead_id = s.lead_id
      AND l.tenant_id = s.tenant_id
      -- an older result arriving late never overwrites a newer one
      AND (l.enriched_at IS NULL OR l.enriched_at < s.processed_at)
    RETURNING l.lead_id
)
UPDATE lead_messages m
SET intent = s.intent, intent_confidence = s.intent_confidence, entities = s.entities, enriched_at = s.processed_at
FROM stored s
WHERE m.message_id = s.message_id
  AND m.tenant_id = s.tenant_id
  AND (m.enriched_at IS NULL OR m.enriched_at < s.processed_at)
