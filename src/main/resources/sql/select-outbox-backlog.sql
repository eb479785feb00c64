-- The outbox backlog for the metrics: how many rows wait to be published, and for how long the oldest has.
-- Both walk only the partial index of unpublished rows; ids grow with created_at, so the lowest id is the oldest.
SELECT count(*) AS unpublished,
       COALESCE(GREATEST(0, EXTRACT(EPOCH FROM now() - (
           SELECT created_at FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT 1))), 0) AS oldest_age_seconds
FROM outbox
WHERE published_at IS NULL
