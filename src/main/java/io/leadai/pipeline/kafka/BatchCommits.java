package io.leadai.pipeline.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import io.leadai.pipeline.tracing.RecordSpans;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offset commits of one batching Kafka route, done on the consumer's own thread.
 *
 * <p>A batching camel-kafka consumer never commits by itself here ({@code autoCommitEnable=false},
 * {@code allowManualCommit=true}), and a failed batch does not stop it from polling on. So the route tells
 * this listener what became durable ({@link #completed}) or did not ({@link #failed}); after the next poll,
 * on the consumer thread, the listener commits exactly that, and after a failure rewinds every partition
 * to its last commit and pauses for {@code retryBackoff}, so nothing uncommitted is skipped. It also pauses
 * while {@code ready} says the route's dependencies are away, without consuming anything.
 *
 * <p>One listener serves one consumer: routes using it keep {@code consumersCount=1}.
 */
public class BatchCommits extends KafkaConsumerListener implements Predicate<Object> {

    private static final Logger log = LoggerFactory.getLogger(BatchCommits.class);

    private final String routeId;
    private final Duration retryBackoff;
    private final BooleanSupplier ready;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private long pausedUntilNanos;
    private boolean paused;

    public BatchCommits(String routeId, Duration retryBackoff, BooleanSupplier ready) {
        this.routeId = routeId;
        this.retryBackoff = retryBackoff;
        this.ready = ready;
        // nanoTime has an arbitrary origin: "not paused" is a deadline already passed, not zero
        this.pausedUntilNanos = System.nanoTime();
    }

    /** Every record of the batch has its durable outcome: commit past all of them. */
    public void completed(@Body List<Exchange> batch) {
        settled(batch, record -> true);
    }

    /** The batch as a whole did not become durable: commit none of it, read it again after a pause. */
    public void failed(@Body List<Exchange> batch) {
        settled(batch, record -> false);
    }

    /**
     * Some records are durable, those named in {@code unfinished} (see {@link KafkaBatch#unfinished}) are not:
     * commit up to the first unfinished one per partition.
     */
    public void settle(@Body List<Exchange> batch, @Variable("unfinished") Set<String> unfinished) {
        settled(batch, record -> !unfinished.contains(KafkaBatch.key(
                record.getMessage().getHeader(KafkaConstants.TOPIC, String.class),
                record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class),
                record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class))));
    }

    private void settled(List<Exchange> batch, Predicate<Exchange> durable) {
        outcomes.add(Outcome.of(batch, durable));
        // each record's span ends with its outcome: committed, or to be read again
        RecordSpans.end(batch, durable);
    }

    @Override
    public boolean test(Object ignored) {
        return ready.getAsBoolean();
    }

    /** Called by the consumer thread after each poll; false drops what that poll returned. */
    @Override
    public boolean afterConsume(Object ignored) {
        Consumer<?, ?> consumer = getConsumer();
        boolean rewind = false;
        for (Outcome outcome; (outcome = outcomes.poll()) != null; ) {
            if (!commit(consumer, outcome.commits())) {
                rewind = true;
            }
            if (outcome.incomplete()) {
                rewind = true;
                pausedUntilNanos = System.nanoTime() + retryBackoff.toNanos();
                log.warn("Route {}: a batch did not finish; its records are read again in {} ms", routeId,
                        retryBackoff.toMillis());
            }
        }
        boolean hold = System.nanoTime() - pausedUntilNanos < 0 || !ready.getAsBoolean();
        if (hold || rewind) {
            // what this poll returned is dropped: read it again from the last commit
            rewindToCommitted(consumer);
        }
        if (hold) {
            if (!paused) {
                consumer.pause(consumer.assignment());
                paused = true;
                log.info("Route {}: consumption paused", routeId);
            }
            return false;
        }
        if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
            log.info("Route {}: consumption resumed", routeId);
        }
        return !rewind;
    }

    private boolean commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> commits) {
        if (commits.isEmpty()) {
            return true;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(commits);
        owned.keySet().retainAll(assigned);
        try {
            consumer.commitSync(owned);
            return true;
        } catch (KafkaException e) {
            // a rebalance took partitions away: their new owner reads the records again (at least once)
            log.warn("Route {}: offsets {} not committed: {}", routeId, owned, e.toString());
            return false;
        }
    }

    private void rewindToCommitted(Consumer<?, ?> consumer) {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
        List<TopicPartition> neverCommitted = new ArrayList<>();
        for (TopicPartition partition : assignment) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset == null) {
                neverCommitted.add(partition);
            } else {
                consumer.seek(partition, offset.offset());
            }
        }
        // the routes read from the earliest offset when their group has no commit (autoOffsetReset=earliest)
        consumer.seekToBeginning(neverCommitted);
    }

    /** What one batch made durable: the offset to commit per partition, and whether anything was left. */
    record Outcome(Map<TopicPartition, OffsetAndMetadata> commits, boolean incomplete) {

        static Outcome of(List<Exchange> batch, Predicate<Exchange> durable) {
            Map<TopicPartition, List<Exchange>> byPartition = new HashMap<>();
            for (Exchange record : batch) {
                byPartition.computeIfAbsent(partitionOf(record), p -> new ArrayList<>()).add(record);
            }
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            boolean incomplete = false;
            for (Map.Entry<TopicPartition, List<Exchange>> partition : byPartition.entrySet()) {
                List<Exchange> records = new ArrayList<>(partition.getValue());
                records.sort(Comparator.comparingLong(Outcome::offsetOf));
                Long next = null;
                for (Exchange record : records) {
                    if (!durable.test(record)) {
                        incomplete = true;
                        break;
                    }
                    next = offsetOf(record) + 1;
                }
                if (next != null) {
                    commits.put(partition.getKey(), new OffsetAndMetadata(next));
                }
            }
            return new Outcome(commits, incomplete);
        }

        private static TopicPartition partitionOf(Exchange record) {
            return new TopicPartition(record.getMessage().getHeader(KafkaConstants.TOPIC, String.class),
                    record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class));
        }

        private static long offsetOf(Exchange record) {
            return record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        }
    }
}
