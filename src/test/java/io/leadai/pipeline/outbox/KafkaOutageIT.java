package io.leadai.pipeline.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.TestCredentials;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestKafka;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Kafka stops while leads are created: every request still succeeds, and every event arrives once Kafka is back. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class KafkaOutageIT {

    private static final int KAFKA_PORT = TestInfrastructure.freePort();
    private static EmbeddedKafkaKraftBroker broker = TestInfrastructure.startEmbeddedKafka(KAFKA_PORT);

    @LocalServerPort
    int port;

    /** What the pipeline stored, every tenant's rows. */
    JdbcTemplate jdbc;

    @Autowired
    void adminJdbc(Environment environment) {
        jdbc = TestInfrastructure.adminJdbc(environment);
    }

    @DynamicPropertySource
    static void ownKafkaAndDatabase(DynamicPropertyRegistry registry) {
        TestInfrastructure.database("kafka_outage_it").registerIn(registry);
        TestInfrastructure.ownConsumerGroups(registry, "kafka-outage");
        TestCredentials.registerIn(registry);
        registry.add("app.kafka.brokers", () -> "localhost:" + KAFKA_PORT);
        registry.add("app.kafka.partitions", () -> TestInfrastructure.PARTITIONS);
        // give up on an absent broker quickly, so the relay retries often
        registry.add("camel.component.kafka.max-block-ms", () -> 1000);
        registry.add("app.outbox.poll-interval", () -> 500);
    }

    @AfterAll
    static void stopKafka() {
        broker.destroy();
    }

    @Test
    void leadsCreatedWhileKafkaIsDownArePublishedOnceWhenItReturns() {
        ApiClient api = new ApiClient(port);
        String tenant = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String before = api.postJson("/api/v1/leads", lead(tenant, "before the outage")).json().get("lead_id").asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> unpublished() == 0);
        assertThat(read(Set.of(before), 1)).hasSize(1);

        broker.destroy();
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ApiClient.Response created = api.postJson("/api/v1/leads", lead(tenant, "during the outage " + i));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            during.add(created.json().get("lead_id").asText());
        }
        ApiClient.Response health = api.get("/kafka/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(health.json().get("reason").asText()).contains("localhost:" + KAFKA_PORT);
        assertThat(unpublished()).isEqualTo(30);

        broker = TestInfrastructure.startEmbeddedKafka(KAFKA_PORT);
        await().atMost(Duration.ofSeconds(60)).until(() -> unpublished() == 0);

        // the broker came back empty: everything on it was published after its return, each event once
        List<ConsumerRecord<String, String>> records = read(Set.copyOf(during), during.size());
        Map<String, Long> perEvent = records.stream().collect(Collectors.groupingBy(
                r -> ApiClient.json(r.value()).get("event_id").asText(), Collectors.counting()));
        assertThat(perEvent).hasSize(30);
        assertThat(perEvent.values()).allMatch(count -> count == 1L);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(during);
        assertThat(perEvent.keySet()).isEqualTo(Set.copyOf(jdbc.queryForList(
                "SELECT event_id::text FROM outbox WHERE message_key = ANY(?)", String.class,
                (Object) during.toArray(String[]::new))));
    }

    private List<ConsumerRecord<String, String>> read(Set<String> leadIds, int expected) {
        return new TestKafka(broker.getBrokersAsString()).read("lead.created", r -> leadIds.contains(r.key()),
                found -> found.size() >= expected, Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    private int unpublished() {
        return jdbc.queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL", Integer.class);
    }

    private static String lead(String tenant, String message) {
        return """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s"}""".formatted(tenant, message);
    }
}
