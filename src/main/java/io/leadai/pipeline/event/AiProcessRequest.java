package io.leadai.pipeline.event;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of an {@code ai.process.request} record; {@code lead_id} is absent for a bare text request. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AiProcessRequest(UUID eventId, String eventType, Instant occurredAt, String tenantId,
                               String businessId, String text, UUID leadId) {
    public static final String TYPE = "ai.process.request";
}
