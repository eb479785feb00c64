package io.leadai.pipeline.outbox;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** An event on its way to Kafka, as the outbox table holds it. */
public record OutboxRow(UUID eventId, String topic, String messageKey, String tenantId, String payload,
                        OffsetDateTime createdAt) {

    /** The named parameters the insert statements use for the outbox row. */
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("event_id", eventId);
        parameters.put("topic", topic);
        parameters.put("message_key", messageKey);
        parameters.put("tenant_id", tenantId);
        parameters.put("payload", payload);
        parameters.put("created_at", createdAt);
        return parameters;
    }
}
