package io.leadai.pipeline.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import io.leadai.pipeline.tracing.RecordSpans;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
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
 * this listener what became durable ({@link #completed}) or did not ({@link #failed}, {@link #settle}); after the
 * next poll, on the consumer thread, the listener commits exactly that, and after a failure rewinds every
 * partition to its last commit and pauses for {@code retryBackoff}, so nothing uncommitted is skipped. It also
 * pauses while {@code ready} says the route's dependencies are away, without consuming anything.
 *
 * <p>Two things make a rewind safe:
 * <ul>
 * <li>Camel gathers a batch over several polls, so when the listener rewinds, records read before the rewind may
 * still wait in Camel's batch, and reach the route with the records read again after it. A batch holding both
 * could be committed past records it does not hold. So the listener is also the route's
 * {@code kafkaManualCommitFactory}: it stamps every record, as Camel takes it from the poll, with the number of
 * rewinds so far, and {@link #current} drops the records read before the last rewind (they are read again).</li>
 * <li>A record behind an unfinished one of its partition can have its outcome while its offset cannot be
 * committed yet. Its offset goes into the commit's metadata ({@link SettledAhead}), and {@link #notYetSettled}
 * leaves it out when its batch is read again, also after a restart or by another member of the group: a
 * dead-lettered record is not worked on a second time, where it could succeed and end both dead-lettered and
 * enriched.</li>
 * </ul>
 *
 * <p>A route may also hand each batch to other threads ({@link #dispatch}) and poll on at once, so that a batch
 * starts without waiting for the slowest record of the one before it. Then several batches are in flight: their
 * outcomes are committed in the order the batches were dispatched, a batch waits while one in flight holds a record
 * of the same key (a lead's records stay in order), and before any rewind the listener waits until none is in
 * flight.
 *
 * <p>One listener serves one consumer: routes using it keep {@code consumersCount=1}.
 */
public class BatchCommits extends KafkaConsumerListener implements Predicate<Object>, KafkaManualCommitFactory {

    private static final Logger log = LoggerFactory.getLogger(BatchCommits.class);

    /** Exchange property of each record: the number of rewinds before Camel took it from a poll. */
    static final String READ_GENERATION = "leadaiReadGeneration";

    /** Exchange property of a dispatched batch: its place in the order in which outcomes are committed. */
    static final String BATCH_SEQUENCE = "leadaiBatchSequence";
    /** Exchange property of a dispatched batch: the number of its records counted in flight. */
    static final String BATCH_SIZE = "leadaiBatchSize";

    private static final KafkaManualCommitFactory CAMEL_COMMITS = new DefaultKafkaManualCommitFactory();

    private final String routeId;
    private final Duration retryBackoff;
    private final BooleanSupplier ready;
    private final int batchesInFlight;
    private final int recordsInFlight;
    /** Guards outcomes, inFlight and nextSequence; signalled whenever a batch gets its outcome. */
    private final Object lock = new Object();
    /** Outcomes not yet committed, by the sequence of their batch. */
    private final NavigableMap<Long, Outcome> outcomes = new TreeMap<>();
    /** Dispatched batches without an outcome yet, by sequence: the keys of their records. */
    private final Map<Long, Set<String>> inFlight = new HashMap<>();
    private int inFlightRecords;
    private long nextSequence;
    /** The sequence whose outcome is committed next (consumer thread only). */
    private long nextToCommit;
    /** Per partition, its committed offset and the records past it that have their outcome. */
    private final Map<TopicPartition, SettledAhead> settled = new ConcurrentHashMap<>();
    private volatile long readGeneration;
    /** The read generation in which a batch did not finish: nothing more of it is worked on (see current()). */
    private volatile long unfinishedGeneration = -1;
    private int groupGeneration = Integer.MIN_VALUE;
    private long pausedUntilNanos;
    private boolean paused;
    /** Set by the callback of an asynchronous commit that failed (on the consumer thread, within a poll). */
    private boolean commitFailed;

    /** For a route that works on each batch on the consumer thread. */
    public BatchCommits(String routeId, Duration retryBackoff, BooleanSupplier ready) {
        this(routeId, retryBackoff, ready, 1, Integer.MAX_VALUE);
    }

    /**
     * For a route that hands its batches to other threads ({@link #dispatch}): at most {@code batchesInFlight} at
     * once, holding at most {@code recordsInFlight} records together (a larger batch goes alone).
     */
    public BatchCommits(String routeId, Duration retryBackoff, BooleanSupplier ready, int batchesInFlight,
                        int recordsInFlight) {
        if (batchesInFlight < 1 || recordsInFlight < 1) {
            throw new IllegalArgumentException("batchesInFlight and recordsInFlight must be at least 1, were "
                    + batchesInFlight + " and " + recordsInFlight);
        }
        this.routeId = routeId;
        this.retryBackoff = retryBackoff;
        this.ready = ready;
        this.batchesInFlight = batchesInFlight;
        this.recordsInFlight = recordsInFlight;
        // nanoTime has an arbitrary origin: "not paused" is a deadline already passed, not zero
        this.pausedUntilNanos = System.nanoTime();
    }

    /** Called by Camel for each record as it leaves a poll, on the consumer thread. */
    @Override
    public KafkaManualCommit newInstance(CamelExchangePayload exchange, KafkaRecordPayload record,
                                         CommitManager commitManager) {
        exchange.exchange.setProperty(READ_GENERATION, readGeneration);
        return CAMEL_COMMITS.newInstance(exchange, record, commitManager);
    }

    /**
     * The batch without the records read before the last rewind: each of them is read again, and a batch holding
     * both could be committed past records that it does not hold. Nothing at all once a batch read since that rewind
     * did not finish: Camel can hand over a second batch before the consumer thread rewinds, and working on it could
     * put a lead's later record before its unfinished earlier one. The first step of a route using this listener.
     *
     * @throws IllegalStateException if the route does not name this listener as its {@code kafkaManualCommitFactory}
     */
    public List<Exchange> current(@Body List<Exchange> batch) {
        long generation = readGeneration;
        if (generation == unfinishedGeneration) {
            log.debug("Route {}: {} records dropped behind an unfinished batch; they are read again", routeId, batch.size());
            return List.of();
        }
        List<Exchange> current = new ArrayList<>(batch.size());
        for (Exchange record : batch) {
            Long read = record.getProperty(READ_GENERATION, Long.class);
            if (read == null) {
                throw new IllegalStateException("Route " + routeId + " must name this bean as the Kafka endpoint's "
                        + "kafkaManualCommitFactory: its records are not stamped");
            }
            if (read == generation) {
                current.add(record);
            }
        }
        if (current.size() < batch.size()) {
            log.debug("Route {}: {} records read before the last rewind are dropped; they are read again", routeId,
                    batch.size() - current.size());
        }
        return current;
    }

    /**
     * The batch without the records a pass before this one settled (see {@link SettledAhead}): those named in the
     * commit's metadata, and those the commit has passed since Camel read them.
     */
    public List<Exchange> notYetSettled(@Body List<Exchange> batch) {
        List<Exchange> left = new ArrayList<>(batch.size());
        for (Exchange record : batch) {
            SettledAhead partition = settled.get(Outcome.partitionOf(record));
            if (partition == null || !partition.covers(Outcome.offsetOf(record))) {
                left.add(record);
            }
        }
        if (left.size() < batch.size()) {
            log.debug("Route {}: {} records of the batch already have their outcome", routeId, batch.size() - left.size());
        }
        return left;
    }

    /**
     * Takes the batch into flight, to be worked on by other threads while the consumer polls on; called on the
     * consumer thread. Waits while {@code batchesInFlight} batches are in flight, or this batch's records would
     * bring those in flight over {@code recordsInFlight}, or while one in flight holds a record with the key of one
     * of this batch's (a lead's records one after the other). Returns the batch, or
     * nothing when a batch in flight did not finish meanwhile (as {@link #current} would). The outcome of a batch
     * returned must follow ({@link #settle}, {@link #failed}), even if none of its records is left to work on: until
     * it does, no later batch is committed.
     */
    public List<Exchange> dispatch(@Body List<Exchange> batch, Exchange exchange) throws InterruptedException {
        Set<String> keys = new HashSet<>();
        for (Exchange record : batch) {
            String key = record.getMessage().getHeader(KafkaConstants.KEY, String.class);
            if (key != null) {
                keys.add(key);
            }
        }
        synchronized (lock) {
            while (!inFlight.isEmpty() && (inFlight.size() >= batchesInFlight
                    || inFlightRecords + batch.size() > recordsInFlight || sharesKeyInFlight(keys))) {
                lock.wait();
            }
            if (readGeneration == unfinishedGeneration) {
                log.debug("Route {}: {} records dropped behind an unfinished batch; they are read again", routeId,
                        batch.size());
                return List.of();
            }
            long sequence = nextSequence++;
            inFlight.put(sequence, keys);
            inFlightRecords += batch.size();
            exchange.setProperty(BATCH_SEQUENCE, sequence);
            exchange.setProperty(BATCH_SIZE, batch.size());
        }
        return batch;
    }

    private boolean sharesKeyInFlight(Set<String> keys) {
        for (Set<String> busy : inFlight.values()) {
            for (String key : keys) {
                if (busy.contains(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every record of the batch has its durable outcome: commit past all of them. */
    public void completed(@Body List<Exchange> batch, Exchange exchange) {
        queue(batch, record -> true, exchange);
    }

    /** The batch as a whole did not become durable: commit none of it, read it again after a pause. */
    public void failed(@Body List<Exchange> batch, Exchange exchange) {
        queue(batch, record -> false, exchange);
    }

    /**
     * Some records are durable, those named in {@code unfinished} (see {@link KafkaBatch#unfinished}) are not:
     * commit up to the first unfinished one per partition, and remember the durable ones behind it.
     */
    public void settle(@Body List<Exchange> batch, @Variable("unfinished") Set<String> unfinished, Exchange exchange) {
        queue(batch, record -> !unfinished.contains(KafkaBatch.key(
                record.getMessage().getHeader(KafkaConstants.TOPIC, String.class),
                record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class),
                record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class))), exchange);
    }

    private void queue(List<Exchange> batch, Predicate<Exchange> durable, Exchange exchange) {
        Outcome outcome = Outcome.of(batch, durable);
        if (outcome.incomplete()) {
            unfinishedGeneration = readGeneration;
        }
        // each record's span ends with its outcome: committed, or to be read again
        RecordSpans.end(batch, durable);
        Long dispatched = exchange.getProperty(BATCH_SEQUENCE, Long.class);
        synchronized (lock) {
            long sequence;
            if (dispatched != null) {
                sequence = dispatched;
                inFlight.remove(sequence);
                inFlightRecords -= exchange.getProperty(BATCH_SIZE, Integer.class);
            } else {
                // worked on by the consumer thread: the only batch of its route in flight
                sequence = nextSequence++;
            }
            outcomes.put(sequence, outcome);
            lock.notifyAll();
        }
    }

    /**
     * The outcomes that can be committed now, in the order their batches were dispatched; with {@code all}, first
     * waits until no batch is in flight (before a rewind, which must not meet a batch still worked on).
     */
    private List<Outcome> takeOutcomes(boolean all) throws InterruptedException {
        List<Outcome> next = new ArrayList<>();
        synchronized (lock) {
            while (all && !inFlight.isEmpty()) {
                lock.wait();
            }
            for (Outcome outcome; (outcome = outcomes.remove(nextToCommit)) != null; nextToCommit++) {
                next.add(outcome);
            }
        }
        return next;
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
        int generation = consumer.groupMetadata().generationId();
        if (generation != groupGeneration) {
            // a rebalance (or the first join): a partition given back starts again from its commit, while records
            // read before it may still wait in Camel's batch
            groupGeneration = generation;
            rewind = true;
        }
        try {
            List<Outcome> done = takeOutcomes(false);
            if (rewind || done.stream().anyMatch(Outcome::incomplete)) {
                // what the batches still in flight settle is committed before the rewind
                done.addAll(takeOutcomes(true));
            }
            commit(consumer, done);
            if (commitFailed) {
                commitFailed = false;
                rewind = true;
            }
            if (done.stream().anyMatch(Outcome::incomplete)) {
                rewind = true;
                pausedUntilNanos = System.nanoTime() + retryBackoff.toNanos();
                log.warn("Route {}: a batch did not finish; its records are read again in {} ms", routeId,
                        retryBackoff.toMillis());
            }
            boolean hold = System.nanoTime() - pausedUntilNanos < 0 || !ready.getAsBoolean();
            if (rewind || hold && !paused) {
                // what this poll returned is dropped: read it again from the last commit (once per pause: a paused
                // consumer reads nothing)
                commit(consumer, takeOutcomes(true));
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
        } catch (InterruptedException e) {
            // stopping: nothing more is committed, what is not committed is read again
            Thread.currentThread().interrupt();
            return false;
        }
        if (paused) {
            consumer.resume(consumer.paused());
            paused = false;
            log.info("Route {}: consumption resumed", routeId);
        }
        return !rewind;
    }

    /**
     * Commits what the outcomes settled, in their order, in one request. A partition on which an outcome left a
     * record unfinished commits nothing past it from the outcomes after it: what they settled there is remembered
     * as settled ahead.
     *
     * <p>The commit is asynchronous, so the consumer polls on meanwhile: Kafka 4's group coordinator lingers 5 ms
     * on every commit ({@code group.coordinator.append.linger.ms}), and a synchronous commit held every batch of the
     * writers that long. Kafka sends the commits in order; one that fails sets {@link #commitFailed}, and the next
     * poll rewinds to what was committed. A rewind first waits for the commits still on their way.
     */
    private void commit(Consumer<?, ?> consumer, List<Outcome> done) {
        if (done.isEmpty()) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, SettledAhead> ahead = new HashMap<>();
        // per partition, the first record an earlier outcome left unfinished
        Map<TopicPartition, Long> stuck = new HashMap<>();
        for (Outcome outcome : done) {
            outcome.partitions().forEach((partition, part) -> {
                if (!assigned.contains(partition)) {
                    // a rebalance took it away: its new owner reads the records again (at least once)
                    return;
                }
                SettledAhead known = ahead.containsKey(partition) ? ahead.get(partition) : settled.get(partition);
                Long unfinishedAt = stuck.get(partition);
                SettledAhead merged = (unfinishedAt != null ? part.behind(unfinishedAt) : part).merge(known);
                if (merged != null) {
                    ahead.put(partition, merged);
                }
                if (part.unfinished()) {
                    stuck.putIfAbsent(partition, part.next());
                }
            });
        }
        if (ahead.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        ahead.forEach((partition, merged) -> commits.put(partition, merged.offsetAndMetadata()));
        // the records have their outcome whether or not the commit arrives: they are not worked on again meanwhile
        settled.putAll(ahead);
        try {
            consumer.commitAsync(commits, (offsets, failure) -> {
                if (failure != null) {
                    log.warn("Route {}: offsets {} not committed: {}", routeId, offsets, failure.toString());
                    commitFailed = true;
                }
            });
        } catch (KafkaException e) {
            log.warn("Route {}: offsets {} not committed: {}", routeId, commits, e.toString());
            commitFailed = true;
        }
    }

    private void rewindToCommitted(Consumer<?, ?> consumer) {
        try {
            // an empty synchronous commit waits for the asynchronous ones still on their way
            consumer.commitSync(Map.of());
        } catch (KafkaException e) {
            log.warn("Route {}: commits still on their way not confirmed: {}", routeId, e.toString());
        }
        // records Camel takes from later polls are told from those it took before (see current())
        readGeneration++;
        settled.clear();
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
                settled.put(partition, SettledAhead.read(offset));
            }
        }
        // the routes read from the earliest offset when their group has no commit (autoOffsetReset=earliest);
        // not called with no partition, which Kafka takes as every assigned partition
        if (!neverCommitted.isEmpty()) {
            consumer.seekToBeginning(neverCommitted);
        }
    }

    /** What one batch settled, per partition, and whether anything was left unfinished. */
    record Outcome(Map<TopicPartition, PartitionOutcome> partitions, boolean incomplete) {

        static Outcome of(List<Exchange> batch, Predicate<Exchange> durable) {
            Map<TopicPartition, List<Exchange>> byPartition = new HashMap<>();
            for (Exchange record : batch) {
                byPartition.computeIfAbsent(partitionOf(record), p -> new ArrayList<>()).add(record);
            }
            Map<TopicPartition, PartitionOutcome> partitions = new HashMap<>();
            boolean incomplete = false;
            for (Map.Entry<TopicPartition, List<Exchange>> partition : byPartition.entrySet()) {
                List<Exchange> records = new ArrayList<>(partition.getValue());
                records.sort(Comparator.comparingLong(Outcome::offsetOf));
                Long firstUnfinished = null;
                boolean moved = false;
                NavigableSet<Long> ahead = new TreeSet<>();
                long next = offsetOf(records.get(0));
                for (Exchange record : records) {
                    long offset = offsetOf(record);
                    if (firstUnfinished != null) {
                        if (durable.test(record)) {
                            ahead.add(offset);
                        }
                    } else if (durable.test(record)) {
                        next = offset + 1;
                        moved = true;
                    } else {
                        firstUnfinished = offset;
                        next = offset;
                    }
                }
                incomplete |= firstUnfinished != null;
                partitions.put(partition.getKey(),
                        new PartitionOutcome(offsetOf(records.get(0)), next, moved, firstUnfinished != null, ahead));
            }
            return new Outcome(partitions, incomplete);
        }

        static TopicPartition partitionOf(Exchange record) {
            return new TopicPartition(record.getMessage().getHeader(KafkaConstants.TOPIC, String.class),
                    record.getMessage().getHeader(KafkaConstants.PARTITION, Integer.class));
        }

        static long offsetOf(Exchange record) {
            return record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
        }
    }

    /**
     * One partition's part of a batch: {@code first} is its first record, {@code next} the offset to commit (the
     * first unfinished record, or past the last one), {@code moved} whether the batch finished any record before it,
     * {@code unfinished} whether a record was left without an outcome, {@code settledAhead} the records after
     * {@code next} that have their outcome.
     */
    record PartitionOutcome(long first, long next, boolean moved, boolean unfinished, NavigableSet<Long> settledAhead) {

        /**
         * The same records behind the unfinished record {@code unfinishedAt} of an earlier batch: the commit cannot
         * pass it, and every record that has its outcome is settled ahead.
         */
        PartitionOutcome behind(long unfinishedAt) {
            NavigableSet<Long> ahead = new TreeSet<>(settledAhead);
            if (moved) {
                LongStream.range(first, next).forEach(ahead::add);
            }
            return new PartitionOutcome(first, unfinishedAt, false, unfinished, ahead);
        }

        /**
         * The commit, with what earlier passes settled ahead ({@code known}, may be null); null when there is
         * nothing new to commit.
         */
        SettledAhead merge(SettledAhead known) {
            if (!moved && settledAhead.isEmpty()) {
                return null;
            }
            // never back: the known commit may have passed this batch already, over records settled ahead
            long offset = known == null ? next : Math.max(next, known.offset());
            NavigableSet<Long> ahead = new TreeSet<>(settledAhead);
            if (known != null) {
                ahead.addAll(known.offsets().tailSet(offset, true));
            }
            // records settled right behind the commit need no remembering: the commit moves past them
            while (ahead.remove(offset)) {
                offset++;
            }
            return SettledAhead.of(offset, ahead);
        }
    }
}
