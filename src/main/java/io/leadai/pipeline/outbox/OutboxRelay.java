package io.leadai.pipeline.outbox;

import java.util.List;
import java.util.Map;

import io.leadai.pipeline.config.AppProperties;
import org.apache.camel.Body;
import org.springframework.stereotype.Component;

/** Parameters of the relay's statements. */
@Component("outboxRelay")
public class OutboxRelay {

    private final int batchSize;

    public OutboxRelay(AppProperties app) {
        this.batchSize = app.outbox().batchSize();
    }

    /** Parameters of claim-outbox.sql. */
    public Map<String, Object> claim() {
        return Map.of("batch_size", batchSize);
    }

    /** Parameters of mark-outbox-published.sql: the ids of the rows claim-outbox.sql returned. */
    public Map<String, Object> published(@Body List<Map<String, Object>> claimed) {
        return Map.of("ids", claimed.stream().map(row -> row.get("id")).toList());
    }
}
