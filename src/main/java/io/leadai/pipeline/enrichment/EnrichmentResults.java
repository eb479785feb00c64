package io.leadai.pipeline.enrichment;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.outbox.OutboxRow;
import io.leadai.pipeline.schema.JsonSchemas;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * Builds the {@code ai.process.result} of a job from the services' mapped answers, and refuses to publish
 * one that is not a valid result (an AI answer without an intent, say): that is an unreadable answer, and
 * the source event goes to {@code ai.error} instead. Nothing is ever made up. Each answer was bounded by its
 * service's route ({@link AiAnswerBounds}); what was cut to size is listed in the result's {@code truncated} field.
 */
@Component("enrichmentResults")
public class EnrichmentResults {

    private final ObjectMapper objectMapper;
    private final JsonSchemas schemas;
    private final String resultTopic;
    private final Clock clock;

    public EnrichmentResults(ObjectMapper objectMapper, JsonSchemas schemas, AppProperties app, Clock clock) {
        this.objectMapper = objectMapper;
        this.schemas = schemas;
        this.resultTopic = app.topics().aiResult();
        this.clock = clock;
    }

    public OutboxRow result(@Body Map<String, JsonNode> answers, @Variable("job") ObjectNode job,
                            @Variable("started_at") Instant startedAt) {
        Instant processedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ObjectNode result = objectMapper.createObjectNode();
        UUID eventId = resultEventId(job.get("source_event_id").asText());
        result.put("event_id", eventId.toString());
        for (String field : new String[] {"source_event_id", "source_topic", "tenant_id", "business_id", "lead_id",
                "message_id", "text"}) {
            result.set(field, job.get(field));
        }
        answers.forEach(result::set);
        result.put("processed_at", processedAt.toString());
        result.put("processing_ms", Math.max(0, Duration.between(startedAt, processedAt).toMillis()));

        var problems = schemas.validate("events/ai-process-result", result);
        if (!problems.isEmpty()) {
            throw new UnreadableAnswerException("the AI answers do not make a valid result: " + problems.stream()
                    .map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
        }
        return new OutboxRow(eventId, resultTopic, job.get("key").asText(), job.get("tenant_id").asText(),
                result.toString(), OffsetDateTime.ofInstant(processedAt, ZoneOffset.UTC));
    }

    /**
     * The result's {@code event_id}, derived from its source event's: a redelivered event's result carries the id
     * of the first, so a consumer of {@code ai.process.result} that deduplicates by {@code event_id} sees it once
     * (the writer keeps the first row per source event already). It also keeps {@code UUID.randomUUID()}'s shared
     * {@code SecureRandom}, on which the enricher's workers queued, off the hot path.
     */
    static UUID resultEventId(String sourceEventId) {
        return UUID.nameUUIDFromBytes(("ai.process.result:" + sourceEventId).getBytes(StandardCharsets.UTF_8));
    }
}
