INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at, traceparent, tracestate)
VALUES (:#event_id, :#topic, :#message_key, :#tenant_id, :#payload, :#created_at, :#traceparent, :#tracestate)
