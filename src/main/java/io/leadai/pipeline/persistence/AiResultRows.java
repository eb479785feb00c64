package io.leadai.pipeline.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Reads a batch of {@code ai.process.result} records into the one parameter of upsert-ai-result.sql: the rows as
 * a JSON array, which PostgreSQL unpacks, so that the batch is one statement and no expression is evaluated per
 * row and column (camel-sql's batch mode did that: almost half the writer's CPU). A record that is not a valid
 * result becomes a dead letter (variable {@code dead_letters}, messages carrying the record's trace) instead of
 * a row.
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

    /** {@code rows}: the JSON array, in the batch's order; {@code count}: how many. */
    public Map<String, Object> rows(@Body List<Exchange> batch, Exchange exchange) {
        recordSpans.beginShared(batch, exchange);
        ArrayNode rows = JsonNodeFactory.instance.arrayNode(batch.size());
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
        return Map.of("rows", rows.toString(), "count", rows.size());
    }

    /** The columns of upsert-ai-result.sql's record type, from a result its schema has accepted. */
    ObjectNode row(InboundRecord record) {
        JsonNode result = events.read(record, "events/ai-process-result");
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.set("source_event_id", result.get("source_event_id"));
        row.set("result_event_id", result.get("event_id"));
        for (String field : new String[] {"source_topic", "tenant_id", "business_id", "lead_id", "message_id", "text",
                "entities", "processed_at", "processing_ms"}) {
            row.set(field, result.get(field));
        }
        row.set("intent", result.get("intent").get("name"));
        row.set("intent_confidence", result.get("intent").get("confidence"));
        row.set("result", result);
        return row;
    }
}
