package io.leadai.pipeline.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** Helpers for routes that consume Kafka in batches and work on each record in parallel. */
@Component("kafkaBatch")
public class KafkaBatch {

    /** The records behind a batch's exchanges, to split over. */
    public List<InboundRecord> records(@Body List<Exchange> batch) {
        return batch.stream().map(InboundRecord::of).toList();
    }

    /** A set the parallel workers of one batch share, naming the records that did not reach an outcome. */
    public Set<String> newUnfinished() {
        return ConcurrentHashMap.newKeySet();
    }

    /** Marks a record of the batch as unfinished: neither its result nor its dead letter is durable. */
    public void unfinished(@Variable("record") InboundRecord record, @Variable("unfinished") Set<String> unfinished) {
        unfinished.add(key(record.topic(), record.partition(), record.offset()));
    }

    static String key(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }
}
