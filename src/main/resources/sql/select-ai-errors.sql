-- The tenant's dead letters, newest first.
SELECT error_id, tenant_id, lead_id, event_id, original_topic, original_partition, original_offset, original_key,
       exception_class, cause_class, reason, attempts, route_id, failed_at, replayed_at, created_at
FROM ai_errors
WHERE tenant_id = :#tenant_id
ORDER BY created_at DESC, error_id DESC
LIMIT CAST(:#limit AS integer)
