SELECT replayed_at FROM ai_errors WHERE error_id = :#error_id AND tenant_id = :#tenant_id
