package io.leadai.pipeline.enrichment;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.event.EventJson;
import io.leadai.pipeline.kafka.EventReader;
import io.leadai.pipeline.kafka.InboundRecord;
import io.leadai.pipeline.kafka.InvalidEventException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Reads a consumed lead event into the job the AI services work on: the source's identity, the text and
 * the key its result keeps. An event that is not JSON or not valid against its schema is invalid for good.
 */
@Component("enrichmentJobs")
public class EnrichmentJobs {

    private final ObjectMapper objectMapper;
    private final EventReader events;
    private final EventJson eventJson;
    /** topic -> (schema, field holding the text) */
    private final Map<String, String[]> sources;

    public EnrichmentJobs(ObjectMapper objectMapper, EventReader events, EventJson eventJson, AppProperties app) {
        this.objectMapper = objectMapper;
        this.events = events;
        this.eventJson = eventJson;
        this.sources = Map.of(
                app.topics().leadCreated(), new String[] {"events/lead-created", "initial_message"},
                app.topics().leadMessage(), new String[] {"events/lead-message", "message_text"},
                app.topics().aiRequest(), new String[] {"events/ai-process-request", "text"});
    }

    /**
     * The job: {@code source_event_id, source_topic, tenant_id, business_id, lead_id, message_id, text, key}.
     * The event's ids, as far as it has them, go into the log lines of the work on it, an invalid one's too.
     */
    public ObjectNode job(@Body InboundRecord record, Exchange exchange) {
        eventJson.ids(record.value()).applyTo(exchange);
        String[] source = sources.get(record.topic());
        if (source == null) {
            throw new InvalidEventException("no enrichment for topic " + record.topic());
        }
        JsonNode event = events.read(record, source[0]);
        ObjectNode job = objectMapper.createObjectNode();
        job.put("source_event_id", event.get("event_id").asText());
        job.put("source_topic", record.topic());
        job.put("tenant_id", event.get("tenant_id").asText());
        job.put("business_id", event.get("business_id").asText());
        job.set("lead_id", event.hasNonNull("lead_id") ? event.get("lead_id") : null);
        job.set("message_id", event.hasNonNull("message_id") ? event.get("message_id") : null);
        job.put("text", event.get(source[1]).asText());
        job.put("key", record.key() != null ? record.key() : event.get("event_id").asText());
        return job;
    }
}
