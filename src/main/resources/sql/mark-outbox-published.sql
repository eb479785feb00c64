UPDATE outbox SET published_at = now() WHERE id = :#${variable.outbox_id}
