package io.leadai.pipeline.event;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of a {@code lead.created} record. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeadCreated(UUID eventId, String eventType, Instant occurredAt, String tenantId, String businessId,
                          UUID leadId, String initialMessage, String source, String name, String email,
                          String phone) {
    public static final String TYPE = "lead.created";
}
