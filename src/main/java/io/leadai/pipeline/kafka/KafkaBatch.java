package io.leadai.pipeline.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.leadai.pipeline.tracing.RecordSpans;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Helpers for routes that consume Kafka in batches and work on each record in parallel. */
@Component("kafkaBatch")
public class KafkaBatch {

    private static final Logger log = LoggerFactory.getLogger(KafkaBatch.class);
    private static final String KEY_PREFIX = "key:";

    private final RecordSpans recordSpans;

    public KafkaBatch(RecordSpans recordSpans) {
        this.recordSpans = recordSpans;
    }

    /**
     * The batch's records grouped by key (a lead's events share its key), each group in the order the
     * records were published: groups can be worked on in parallel, a group's records one after the other.
     *
     * <p>Each record comes as a message whose body is the {@link InboundRecord} and whose headers carry the
     * trace of its span ({@link RecordSpans#message}), so the work on it continues the record's trace.
     */
    public List<List<Message>> recordsByKey(@Body List<Exchange> batch, Exchange exchange) {
        recordSpans.begin(batch, exchange);
        Map<Object, List<Exchange>> groups = new LinkedHashMap<>();
        for (Exchange element : batch) {
            String key = InboundRecord.of(element).key();
            groups.computeIfAbsent(key != null ? key : new Object(), k -> new ArrayList<>()).add(element);
        }
        Comparator<InboundRecord> published = Comparator.comparingLong(InboundRecord::timestamp)
                .thenComparing(InboundRecord::topic).thenComparingLong(InboundRecord::offset);
        return groups.values().stream()
                .map(group -> group.stream()
                        .map(element -> RecordSpans.message(element, InboundRecord.of(element)))
                        .sorted(Comparator.comparing(message -> message.getBody(InboundRecord.class), published))
                        .toList())
                .toList();
    }

    /** The batch's records as they were polled: for routes that take a batch whole (the benchmark's floor). */
    public List<InboundRecord> records(@Body List<Exchange> batch) {
        return batch.stream().map(InboundRecord::of).toList();
    }

    /** True when an earlier record of this record's key did not finish: this one must wait behind it. */
    public boolean heldBack(@Variable("record") InboundRecord record, @Variable("unfinished") Set<String> unfinished) {
        return record.key() != null && unfinished.contains(KEY_PREFIX + record.key());
    }

    /** A set the parallel workers of one batch share, naming the records that did not reach an outcome. */
    public Set<String> newUnfinished() {
        return ConcurrentHashMap.newKeySet();
    }

    /**
     * Marks a record of the batch as unfinished: neither its result nor its dead letter is durable. Later
     * records of its key are held back behind it.
     */
    public void unfinished(@Variable("record") InboundRecord record, @Variable("unfinished") Set<String> unfinished,
                           Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure != null) {
            // why the batch is read again: an AI service down, ai.error unwritable, or a bug to look at
            log.warn("Record {}/{}/{} did not finish: {}", record.topic(), record.partition(), record.offset(),
                    failure.toString());
        }
        unfinished.add(key(record.topic(), record.partition(), record.offset()));
        if (record.key() != null) {
            unfinished.add(KEY_PREFIX + record.key());
        }
    }

    static String key(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }
}
