package io.leadai.pipeline.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class OutboxRelayIT extends PipelineIntegrationTest {

    private static final int KEYS = 40;
    private static final int EVENTS_PER_KEY = 10;

    @Autowired
    ProducerTemplate producer;

    @Autowired
    org.apache.camel.CamelContext camel;

    @Test
    void concurrentRelaysPublishEachRowOnceAndInOrderPerKey() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            keys.add("relay-" + run + "-" + k);
        }
        // rows as another instance's API would have written them, interleaved across keys
        List<Object[]> rows = new ArrayList<>();
        for (int seq = 0; seq < EVENTS_PER_KEY; seq++) {
            for (String key : keys) {
                String eventId = UUID.randomUUID().toString();
                rows.add(new Object[] {eventId, key,
                        "{\"event_id\":\"" + eventId + "\",\"key\":\"" + key + "\",\"seq\":" + seq + "}"});
            }
        }
        jdbc.batchUpdate("INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at) "
                + "VALUES (?::uuid, 'lead.created', ?, 'relay-test', ?, now())", rows);

        // four relays besides the application's own, each on its own thread and DB connection
        ExecutorService relays = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                running.add(relays.submit(() -> {
                    while (unpublished(keys) > 0) {
                        producer.sendBody("direct:send-outbox-batch", null);
                    }
                }));
            }
            for (Future<?> relay : running) {
                relay.get();
            }
        } finally {
            relays.shutdownNow();
        }

        Set<String> ourKeys = Set.copyOf(keys);
        List<ConsumerRecord<String, String>> records = kafka().read("lead.created", r -> ourKeys.contains(r.key()),
                found -> found.size() >= KEYS * EVENTS_PER_KEY, Duration.ofSeconds(30), Duration.ofSeconds(1));

        Map<String, Long> perEvent = records.stream()
                .collect(Collectors.groupingBy(r -> ApiClient.json(r.value()).get("event_id").asText(), Collectors.counting()));
        assertThat(perEvent).hasSize(KEYS * EVENTS_PER_KEY);
        assertThat(perEvent.values()).allMatch(count -> count == 1L);

        Map<String, List<Integer>> sequences = new HashMap<>();
        records.forEach(r -> sequences.computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(ApiClient.json(r.value()).get("seq").asInt()));
        List<Integer> expected = java.util.stream.IntStream.range(0, EVENTS_PER_KEY).boxed().toList();
        sequences.forEach((key, seqs) -> assertThat(seqs).as("order of " + key).isEqualTo(expected));
    }

    @Test
    void idleRelayPublishesEachLeadOnceWokenByTheWrite() {
        String tenant = "latency-" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long postedAt = System.currentTimeMillis();
            String leadId = api().postJson("/api/v1/leads", """
                    {"tenant_id": "%s", "business_id": "b", "initial_message": "ping"}""".formatted(tenant))
                    .json().get("lead_id").asText();
            List<ConsumerRecord<String, String>> records = kafka().read("lead.created", r -> leadId.equals(r.key()),
                    found -> !found.isEmpty(), Duration.ofSeconds(10), Duration.ZERO);
            assertThat(records).hasSize(1);
            // the record's CreateTime is stamped by the relay's producer when it sends
            millis.add(records.get(0).timestamp() - postedAt);
        }
        List<Long> sorted = millis.stream().sorted().toList();
        // a figure for the record, not a timed assertion (the poll interval alone would be 1 s)
        System.out.printf("POST /api/v1/leads -> record sent to lead.created, 20 leads one at a time: "
                + "median %d ms, max %d ms, first %d ms%n", sorted.get(10), sorted.get(19), millis.get(0));
    }

    @Test
    void purgeDeletesOnlyPublishedRowsPastRetention() throws Exception {
        String key = "purge-" + UUID.randomUUID();
        String insert = "INSERT INTO outbox (event_id, topic, message_key, tenant_id, payload, created_at, published_at) "
                + "VALUES (gen_random_uuid(), 'lead.created', ?, 'purge-test', '{}', now() - interval '30 days', ?)";
        // the relay would publish the unpublished row at once: keep it away while the purge runs
        camel.getRouteController().stopRoute("relay-outbox");
        camel.getRouteController().stopRoute("relay-outbox-on-wakeup");
        try {
            // old and published; recent and published; old and never published (Kafka away for weeks)
            jdbc.update(insert, key, java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofDays(8))));
            jdbc.update(insert, key, java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofDays(1))));
            jdbc.update(insert, key, null);

            producer.sendBody("direct:purge-published-outbox", null);

            assertThat(jdbc.queryForList("SELECT published_at IS NULL FROM outbox WHERE message_key = ? "
                    + "ORDER BY published_at NULLS LAST", Boolean.class, key)).containsExactly(false, true);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE message_key = ? "
                    + "AND published_at > now() - interval '2 days'", Integer.class, key)).isEqualTo(1);
        } finally {
            jdbc.update("DELETE FROM outbox WHERE message_key = ? AND published_at IS NULL", key);
            camel.getRouteController().startRoute("relay-outbox");
            camel.getRouteController().startRoute("relay-outbox-on-wakeup");
        }
    }

    private int unpublished(List<String> keys) {
        return jdbc.queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL AND message_key = ANY(?)",
                Integer.class, (Object) keys.toArray(String[]::new));
    }
}
