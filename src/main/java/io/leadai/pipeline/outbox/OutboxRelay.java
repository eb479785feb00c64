package io.leadai.pipeline.outbox;

import java.util.Map;

import io.leadai.pipeline.config.AppProperties;
import org.springframework.stereotype.Component;

/** Parameters of the relay's claim query. */
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
}
