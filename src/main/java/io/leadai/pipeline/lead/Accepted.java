package io.leadai.pipeline.lead;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The 202 answer to a write whose enrichment happens later: the event now waiting in the outbox. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Accepted(UUID leadId, UUID messageId, UUID eventId, String topic) {
}
