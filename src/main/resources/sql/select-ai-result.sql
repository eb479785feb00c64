SELECT result::text AS result FROM ai_results
WHERE source_event_id = CAST(:#source_event_id AS uuid) AND tenant_id = :#tenant_id
