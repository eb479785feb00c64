package io.leadai.pipeline.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.api.ApiException;
import io.leadai.pipeline.api.PathIds;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.lead.LeadIntake;
import io.leadai.pipeline.outbox.OutboxRow;
import io.leadai.pipeline.security.AuthenticatedTenant;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The result of a {@code POST /kafka/test} request, once the pipeline stored it: awaited for
 * {@code app.kafka-test.wait}, or read later by {@code GET /kafka/test/{event_id}}.
 */
@Component("kafkaTestResults")
public class KafkaTestResults {

    private final ProducerTemplate routes;
    private final ObjectMapper objectMapper;
    private final Duration wait;
    private final Duration pollInterval;

    public KafkaTestResults(ProducerTemplate routes, ObjectMapper objectMapper, AppProperties app) {
        this.routes = routes;
        this.objectMapper = objectMapper;
        this.wait = app.kafkaTest().resultWait();
        this.pollInterval = app.kafkaTest().pollInterval();
    }

    /** The stored result of the request just published, or null when none came within the wait. */
    public JsonNode await(@Variable("event") OutboxRow event) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            JsonNode result = find(event.eventId(), event.tenantId());
            if (result != null || System.nanoTime() - deadline >= 0) {
                return result;
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /** {@code GET /kafka/test/{event_id}}: the caller's tenant's stored result, 404 while there is none. */
    public JsonNode get(@Header("event_id") String eventId, @Variable(AuthenticatedTenant.VARIABLE) String tenantId) {
        String tenant = LeadIntake.tenantId(tenantId);
        JsonNode result = find(PathIds.uuid(eventId, "event_id"), tenant);
        if (result == null) {
            throw ApiException.notFound("result", "event_id", "no result for this request (yet)");
        }
        return result;
    }

    private JsonNode find(UUID eventId, String tenantId) {
        List<?> rows = routes.requestBody("direct:find-ai-result",
                Map.of("source_event_id", eventId.toString(), "tenant_id", tenantId), List.class);
        if (rows == null || rows.isEmpty()) {
            return null;
        }
        try {
            return objectMapper.readTree((String) ((Map<?, ?>) rows.get(0)).get("result"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored result is not JSON", e);
        }
    }
}
