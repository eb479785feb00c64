package io.leadai.pipeline.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.kafka.DeadLetters.DeadLetter;
import io.leadai.pipeline.kafka.EventReader;
import io.leadai.pipeline.kafka.InboundRecord;
import io.leadai.pipeline.kafka.InvalidEventException;
import io.leadai.pipeline.tracing.RecordSpans;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Reads a batch of {@code ai.process.result} records into the parameters of upsert-ai-result.sql. A record
 * that is not a valid result becomes a dead letter (variable {@code dead_letters}, messages carrying the
 * record's trace) instead of a row.
 */
@Component("aiResultRows")
public class AiResultRows {

    private final EventReader events;
    private final String consumerGroup;
    private final RecordSpans recordSpans;

    public AiResultRows(EventReader events, AppProperties app, RecordSpans recordSpans) {
        this.events = events;
        this.consumerGroup = app.kafka().groups().writer();
        this.recordSpans = recordSpans;
    }

    public List<Map<String, Object>> rows(@Body List<Exchange> batch, Exchange exchange) {
        recordSpans.beginShared(batch, exchange);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Message> deadLetters = new ArrayList<>();
        for (Exchange element : batch) {
            InboundRecord record = InboundRecord.of(element);
            try {
                rows.add(row(record));
            } catch (InvalidEventException e) {
                deadLetters.add(RecordSpans.message(element,
                        DeadLetter.of(record, consumerGroup, exchange.getFromRouteId(), e, 1)));
            }
        }
        exchange.setVariable("dead_letters", deadLetters);
        return rows;
    }

    Map<String, Object> row(InboundRecord record) {
        JsonNode result = events.read(record, "events/ai-process-result");
        Map<String, Object> row = new HashMap<>();
        row.put("source_event_id", result.get("source_event_id").asText());
        row.put("result_event_id", result.get("event_id").asText());
        row.put("source_topic", result.get("source_topic").asText());
        row.put("tenant_id", result.get("tenant_id").asText());
        row.put("business_id", result.get("business_id").asText());
        row.put("lead_id", textOrNull(result, "lead_id"));
        row.put("message_id", textOrNull(result, "message_id"));
        row.put("text", result.get("text").asText());
        row.put("intent", result.get("intent").get("name").asText());
        row.put("intent_confidence", result.get("intent").get("confidence").asDouble());
        row.put("entities", result.get("entities").toString());
        row.put("result", result.toString());
        row.put("processed_at", result.get("processed_at").asText());
        row.put("processing_ms", result.hasNonNull("processing_ms") ? result.get("processing_ms").asInt() : null);
        return row;
    }

    private static String textOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
