package io.leadai.pipeline.event;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of a {@code lead.message} record. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeadMessage(UUID eventId, String eventType, Instant occurredAt, String tenantId, String businessId,
                          UUID leadId, UUID messageId, String messageText) {
    public static final String TYPE = "lead.message";
}
