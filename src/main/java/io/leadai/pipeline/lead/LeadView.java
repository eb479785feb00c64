package io.leadai.pipeline.lead;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A lead as the API shows it; {@code enrichment} stays null until the lead has been enriched. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeadView(UUID leadId, String tenantId, String businessId, String source, String name, String email,
                       String phone, String initialMessage, String status, Enrichment enrichment,
                       Instant createdAt, Instant updatedAt) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Enrichment(String intent, Double confidence, JsonNode entities, Instant enrichedAt) {
    }
}
