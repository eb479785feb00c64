package io.leadai.pipeline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestResults;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BatchCommits} under Camel's batching Kafka consumer on a real broker, with records that have no outcome
 * on their first attempts (as when an AI service is down or {@code ai.error} cannot be written), so that batches
 * are read again from their commit.
 *
 * <p>Kafka hands out 7 records a poll and Camel gathers batches of 10, so when the listener rewinds, records of the
 * last poll still wait in Camel: they were read before the rewind and come again after it. The routes have the
 * shapes of the writers (a batch worked on by the consumer thread) and of the enricher (each batch handed to other
 * threads, several in flight: enricher-enrich-lead-events.camel.yaml), their work replaced by a step that knows
 * which records finish.
 */
class BatchCommitsIT {

    private static final int RECORDS = 120;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "batch-commits-" + run;
    private final String group = "batch-commits-" + run;
    private final TopicPartition partition = new TopicPartition(topic, 0);
    private final Map<Long, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<Long, Integer> outcomes = new ConcurrentHashMap<>();
    /** Offset → how many attempts end without an outcome before one has it. */
    private final Map<Long, Integer> unfinishedAttempts = new ConcurrentHashMap<>();
    /** Key → the offsets of its records in the order they got their outcome. */
    private final Map<String, List<Long>> outcomeOrder = new ConcurrentHashMap<>();
    /** Keys of the batches being worked on; a key found there already means two batches held one lead at once. */
    private final Set<String> busyKeys = ConcurrentHashMap.newKeySet();
    private final List<String> overlaps = new CopyOnWriteArrayList<>();
    private int keys = RECORDS;
    private DefaultCamelContext camel;
    private Admin admin;

    @BeforeEach
    void topic() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers()));
    }

    /** RECORDS records with {@code keys} keys in turn (a lead per key). */
    private void publish() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        try (TestResults producer = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(topic, "lead-" + (i % keys), "record " + i);
            }
        }
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        admin.close();
    }

    /** With and without Camel's batching interval (the application's default is 20 ms), which hands over partial batches. */
    @ParameterizedTest
    @ValueSource(strings = {"", "&batchingIntervalMs=20"})
    void unfinishedRecordsAreReadAgainUntilDoneAndEveryOtherRecordHasExactlyOneOutcome(String batching) throws Exception {
        unfinishedAttempts.putAll(Map.of(3L, 1, 9L, 2, 25L, 1, 31L, 3, 47L, 1, 48L, 2, 77L, 1, 101L, 2));
        publish();
        start(batching);

        await().atMost(Duration.ofSeconds(60)).until(() -> committed() != null && committed().offset() == RECORDS);

        // nothing committed past a record without an outcome, and no record that had one was worked on again
        assertThat(outcomes).isEqualTo(once());
        Map<Long, Integer> expectedAttempts = new HashMap<>(once());
        unfinishedAttempts.forEach((offset, unfinished) -> expectedAttempts.put(offset, unfinished + 1));
        assertThat(attempts).isEqualTo(expectedAttempts);
    }

    @Test
    void aNewConsumerOfTheGroupSkipsWhatTheLastOneSettledBehindAnUnfinishedRecord() throws Exception {
        // offset 5 does not finish while the first consumer runs: what its batches settle behind it is not committed
        unfinishedAttempts.put(5L, Integer.MAX_VALUE);
        publish();
        start("");
        await().atMost(Duration.ofSeconds(60)).until(() -> committed() != null
                && !SettledAhead.read(committed()).offsets().isEmpty());
        await().during(Duration.ofMillis(500)).until(() -> attempts.get(5L) > 2);
        camel.stop();
        OffsetAndMetadata left = committed();
        assertThat(left.offset()).isEqualTo(5);
        assertThat(SettledAhead.read(left).offsets()).containsExactlyElementsOf(
                LongStream.range(6, attempts.keySet().stream().mapToLong(o -> o).max().orElseThrow() + 1).boxed().toList());

        // a consumer started afresh (as after a restart, or another member after a rebalance) works on 5 again,
        // and on what no batch reached yet, not on what was settled
        unfinishedAttempts.clear();
        start("");
        await().atMost(Duration.ofSeconds(60)).until(() -> committed().offset() == RECORDS);

        assertThat(outcomes).isEqualTo(once());
        assertThat(attempts).allSatisfy((offset, count) -> {
            if (offset != 5L) {
                assertThat(count).as("attempts of offset %d", offset).isEqualTo(1);
            }
        });
    }

    /**
     * The enricher's shape: each poll's records handed at once to other threads, three batches in flight, each
     * taking a random time, and 40 leads of three records each, 40 offsets apart.
     */
    @Test
    void batchesInFlightAtOnceAreCommittedInOrderAndALeadsRecordsKeepTheirOrder() throws Exception {
        keys = 40;
        unfinishedAttempts.putAll(Map.of(3L, 1, 9L, 2, 25L, 1, 31L, 3, 47L, 1, 48L, 2, 77L, 1, 101L, 2));
        publish();
        startDispatching(3);

        await().atMost(Duration.ofSeconds(60)).until(() -> committed() != null && committed().offset() == RECORDS);

        assertThat(outcomes).isEqualTo(once());
        assertThat(overlaps).as("leads in two batches at once").isEmpty();
        assertThat(outcomeOrder).hasSize(keys).allSatisfy((key, offsets) ->
                assertThat(offsets).as("outcomes of %s", key).isSorted());
    }

    private Map<Long, Integer> once() {
        return LongStream.range(0, RECORDS).boxed().collect(Collectors.toMap(o -> o, o -> 1));
    }

    private OffsetAndMetadata committed() throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
    }

    private void start(String endpointOptions) throws Exception {
        camel = new DefaultCamelContext();
        BatchCommits commits = new BatchCommits("batch-commits-it", Duration.ofMillis(200), () -> true);
        camel.getRegistry().bind("commits", commits);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kafka("&pollTimeoutMs=100" + endpointOptions))
                        .pausable("commits", "commits")
                        .bean(commits, "current")
                        .filter(simple("${body.isEmpty()}")).stop().end()
                        .setVariable("batch", body())
                        .bean(commits, "notYetSettled")
                        .process(BatchCommitsIT.this::work)
                        .setBody(variable("batch"))
                        .bean(commits, "settle");
            }
        });
        camel.start();
    }

    /** The test's topic as the routes consume it: batches of 10 from polls of 7, commits by the bean "commits". */
    private String kafka(String endpointOptions) {
        return "kafka:" + topic + "?brokers=" + TestInfrastructure.kafkaBootstrapServers() + "&groupId=" + group
                + "&autoOffsetReset=earliest&batching=true&maxPollRecords=10"
                + "&autoCommitEnable=false&allowManualCommit=true&consumersCount=1"
                + "&kafkaManualCommitFactory=#commits&additionalProperties.max.poll.records=7" + endpointOptions;
    }

    private void startDispatching(int batchesInFlight) throws Exception {
        camel = new DefaultCamelContext();
        BatchCommits commits = new BatchCommits("batch-commits-it", Duration.ofMillis(200), () -> true, batchesInFlight, 30);
        camel.getRegistry().bind("commits", commits);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(kafka("&pollTimeoutMs=5&batchingIntervalMs=0"))
                        .pausable("commits", "commits")
                        .bean(commits, "current")
                        .filter(simple("${body.isEmpty()}")).stop().end()
                        .bean(commits, "dispatch")
                        .filter(simple("${body.isEmpty()}")).stop().end()
                        .to("seda:work");
                from("seda:work?concurrentConsumers=" + batchesInFlight)
                        .setVariable("batch", body())
                        .bean(commits, "notYetSettled")
                        .process(BatchCommitsIT.this::workAWhile)
                        .setBody(variable("batch"))
                        .bean(commits, "settle");
            }
        });
        camel.start();
    }

    /** The records' work: each record finishes, or not on as many attempts as unfinishedAttempts names. */
    private void work(Exchange exchange) {
        Set<String> unfinished = ConcurrentHashMap.newKeySet();
        @SuppressWarnings("unchecked")
        List<Exchange> records = exchange.getMessage().getBody(List.class);
        for (Exchange record : records) {
            long offset = record.getMessage().getHeader(KafkaConstants.OFFSET, Long.class);
            String key = record.getMessage().getHeader(KafkaConstants.KEY, String.class);
            int attempt = attempts.merge(offset, 1, Integer::sum);
            if (unfinished.contains(key) || attempt <= unfinishedAttempts.getOrDefault(offset, 0)) {
                // and the lead's later records of the batch wait behind it, as kafkaBatch.heldBack does
                unfinished.add(KafkaBatch.key(topic, 0, offset));
                unfinished.add(key);
            } else {
                outcomes.merge(offset, 1, Integer::sum);
                outcomeOrder.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(offset);
            }
        }
        exchange.setVariable("unfinished", unfinished);
    }

    /** work(), taking 0 to 20 ms, while its leads are marked busy. */
    private void workAWhile(Exchange exchange) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Set<String> leads = ((List<Exchange>) exchange.getMessage().getBody(List.class)).stream()
                .map(record -> record.getMessage().getHeader(KafkaConstants.KEY, String.class))
                .collect(Collectors.toSet());
        for (String lead : leads) {
            if (!busyKeys.add(lead)) {
                overlaps.add(lead);
            }
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(21));
            work(exchange);
        } finally {
            busyKeys.removeAll(leads);
        }
    }
}
