package io.leadai.pipeline.kafka;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadai.pipeline.api.JsonRequests;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.event.AiProcessRequest;
import io.leadai.pipeline.event.EventIds;
import io.leadai.pipeline.event.EventJson;
import io.leadai.pipeline.lead.Accepted;
import io.leadai.pipeline.lead.LeadIntake;
import io.leadai.pipeline.outbox.OutboxRow;
import io.leadai.pipeline.security.AuthenticatedTenant;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** {@code POST /kafka/test}: the original system's smoke test, an ai.process.request for a bare text of the caller's tenant. */
@Component("kafkaTestRequests")
public class KafkaTestRequests {

    private final JsonRequests jsonRequests;
    private final EventJson eventJson;
    private final AppProperties app;
    private final Clock clock;

    public KafkaTestRequests(JsonRequests jsonRequests, EventJson eventJson, AppProperties app, Clock clock) {
        this.jsonRequests = jsonRequests;
        this.eventJson = eventJson;
        this.app = app;
        this.clock = clock;
    }

    /** The event to publish, keyed by its own event_id (there is no lead); its ids go into the request's log lines. */
    public OutboxRow request(@Body String body, @Header(Exchange.CONTENT_TYPE) String contentType,
                             @Variable(AuthenticatedTenant.VARIABLE) String tenantId, Exchange exchange) {
        ObjectNode json = jsonRequests.read(body, contentType, "kafka-test");
        String tenant = AuthenticatedTenant.check(LeadIntake.tenantId(tenantId), textOr(json, "tenant_id", null));
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        AiProcessRequest event = new AiProcessRequest(UUID.randomUUID(), AiProcessRequest.TYPE, now.toInstant(),
                tenant,
                textOr(json, "business_id", app.kafkaTest().defaultBusinessId()),
                json.get("text").asText(), null);
        new EventIds(event.eventId(), null, event.tenantId()).applyTo(exchange);
        return new OutboxRow(event.eventId(), app.topics().aiRequest(), event.eventId().toString(), event.tenantId(),
                eventJson.write(event), now);
    }

    public Accepted accepted(@Variable("event") OutboxRow event) {
        return new Accepted(null, null, event.eventId(), event.topic());
    }

    private static String textOr(JsonNode json, String field, String fallback) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }
}
