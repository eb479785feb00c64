-- Published rows past their retention, a bounded number per run so no run holds locks for long.
-- Unpublished rows are never deleted, however old.
DELETE FROM outbox
WHERE id IN (
    SELECT id FROM outbox
    WHERE published_at IS NOT NULL
      AND published_at < now() - CAST(:#${properties:app.outbox.retention} AS interval)
    ORDER BY published_at
    LIMIT 10000)
