package io.leadai.pipeline.outbox;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.event.EventJson;
import io.leadai.pipeline.tracing.TraceContext;
import io.leadai.pipeline.tracing.Traces;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/** Parameters of the relay's statements, and each claimed row as the record the relay sends. */
@Component("outboxRelay")
public class OutboxRelay {

    private final int batchSize;
    private final Traces traces;
    private final EventJson eventJson;

    public OutboxRelay(AppProperties app, Traces traces, EventJson eventJson) {
        this.batchSize = app.outbox().batchSize();
        this.traces = traces;
        this.eventJson = eventJson;
    }

    /** Parameters of claim-outbox.sql. */
    public Map<String, Object> claim() {
        return Map.of("batch_size", batchSize);
    }

    /**
     * One claimed row as its Kafka record: the payload as body, keyed like the row, its topic in the variable
     * {@code topic}, and no other header than the W3C context of the request that wrote the row: the send
     * continues that request's trace, not the relay batch's (which a wake-up may have inherited from another
     * request, headers and all). The row's event ids go into the relay's log lines for it.
     */
    public String record(@Body Map<String, Object> row, Exchange exchange) {
        String payload = (String) row.get("payload");
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(KafkaConstants.KEY, row.get("message_key"));
        traces.continueTrace(exchange, new TraceContext((String) row.get("traceparent"), (String) row.get("tracestate")));
        eventJson.ids(payload.getBytes(StandardCharsets.UTF_8)).applyTo(exchange);
        exchange.setVariable("topic", row.get("topic"));
        return payload;
    }

    /** Parameters of mark-outbox-published.sql: the ids of the rows claim-outbox.sql returned. */
    public Map<String, Object> published(@Body List<Map<String, Object>> claimed) {
        return Map.of("ids", claimed.stream().map(row -> row.get("id")).toList());
    }
}
