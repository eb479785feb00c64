-- Unpublished rows, oldest first, at most one per key: a row waits while an earlier row of its key is
-- unpublished, so two relays never reorder a lead's events. SKIP LOCKED lets relays share the table.
SELECT o.id, o.event_id, o.topic, o.message_key, o.tenant_id, o.payload, o.traceparent, o.tracestate
FROM outbox o
WHERE o.published_at IS NULL
  AND NOT EXISTS (
      SELECT 1 FROM outbox earlier
      WHERE earlier.message_key = o.message_key
        AND earlier.published_at IS NULL
        AND earlier.id < o.id)
ORDER BY o.id
LIMIT CAST(:#batch_size AS integer)
FOR UPDATE SKIP LOCKED
