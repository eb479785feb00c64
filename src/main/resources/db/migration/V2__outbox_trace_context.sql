-- The W3C trace context of the request that wrote an outbox row, so the relay publishes the row's event in
-- that request's trace (traceparent and tracestate as the W3C headers spell them; null when none was recorded).
ALTER TABLE outbox
    ADD COLUMN traceparent text,
    ADD COLUMN tracestate  text;
