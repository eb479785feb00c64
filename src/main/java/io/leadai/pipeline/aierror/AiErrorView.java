package io.leadai.pipeline.aierror;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A dead letter as {@code GET /api/v1/ai-errors} shows it (the payload itself stays in the database). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AiErrorView(UUID errorId, String tenantId, UUID leadId, String eventId, String originalTopic,
                          int originalPartition, long originalOffset, String originalKey, String exceptionClass,
                          String causeClass, String reason, int attempts, String routeId, Instant failedAt,
                          Instant replayedAt, Instant createdAt) {
}
