-- A batch of results, one statement (:#rows is the batch as a JSON array, in the order it was read): each
-- result's ai_results row (first delivery wins), then, for the rows that are new, the lead (results of
-- lead.created and of requests about a lead) or the message each enriches, by the newest of the batch's results
-- for it. A redelivered or replayed result changes nothing.
WITH batch AS (
    SELECT CAST(r ->> 'source_event_id' AS uuid) AS source_event_id,
           CAST(r ->> 'result_event_id' AS uuid) AS result_event_id,
           r ->> 'source_topic' AS source_topic, r ->> 'tenant_id' AS tenant_id, r ->> 'business_id' AS business_id,
           CAST(r ->> 'lead_id' AS uuid) AS lead_id, CAST(r ->> 'message_id' AS uuid) AS message_id,
           r ->> 'text' AS text, r ->> 'intent' AS intent,
           CAST(r ->> 'intent_confidence' AS double precision) AS intent_confidence,
           r -> 'entities' AS entities, r -> 'result' AS result,
           CAST(r ->> 'processed_at' AS timestamptz) AS processed_at,
           CAST(r ->> 'processing_ms' AS integer) AS processing_ms,
           position
    FROM jsonb_array_elements(CAST(:#rows AS jsonb)) WITH ORDINALITY AS batch_rows(r, position)
), stored AS (
    INSERT INTO ai_results (source_event_id, result_event_id, source_topic, tenant_id, business_id, lead_id,
                            message_id, text, intent, intent_confidence, entities, result, processed_at,
                            processing_ms)
    SELECT source_event_id, result_event_id, source_topic, tenant_id, business_id, lead_id, message_id, text,
           intent, intent_confidence, COALESCE(entities, CAST('[]' AS jsonb)), result, processed_at, processing_ms
    FROM batch
    -- the same source event twice in one batch: the one read first is stored
    ORDER BY position
    ON CONFLICT (source_event_id) DO NOTHING
    RETURNING lead_id, message_id, tenant_id, intent, intent_confidence, entities, processed_at
), lead AS (
    UPDATE leads l
    SET status = 'enriched', intent = s.intent, intent_confidence = s.intent_confidence, entities = s.entities,
        enriched_at = s.processed_at, updated_at = now()
    FROM (SELECT DISTINCT ON (lead_id) * FROM stored WHERE message_id IS NULL AND lead_id IS NOT NULL
          ORDER BY lead_id, processed_at DESC) s
    WHERE l.lead_id = s.lead_id
      AND l.tenant_id = s.tenant_id
      -- an older result arriving late never overwrites a newer one
      AND (l.enriched_at IS NULL OR l.enriched_at < s.processed_at)
    RETURNING l.lead_id
)
UPDATE lead_messages m
SET intent = s.intent, intent_confidence = s.intent_confidence, entities = s.entities, enriched_at = s.processed_at
FROM (SELECT DISTINCT ON (message_id) * FROM stored WHERE message_id IS NOT NULL
      ORDER BY message_id, processed_at DESC) s
WHERE m.message_id = s.message_id
  AND m.tenant_id = s.tenant_id
  AND (m.enriched_at IS NULL OR m.enriched_at < s.processed_at)
