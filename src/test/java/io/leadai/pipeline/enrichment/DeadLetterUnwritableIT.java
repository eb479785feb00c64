package io.leadai.pipeline.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestKafka;
import io.leadai.pipeline.testinfra.TestResults;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The dead-letter topic cannot be written (it does not exist, and the broker creates no topic by itself):
 * the failed record's offset is not committed, and once the topic exists it is dead-lettered exactly once.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class DeadLetterUnwritableIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String DEAD_LETTERS = "ai.error.later-" + RUN;
    // lead topics of its own: another test's record on the poison's partition that fails (its stubs gone) holds
    // the partition back, and the batch read again would dead-letter the poison a second time
    private static final String LEAD_CREATED = "lead.created." + RUN;

    @Value("${app.kafka.groups.enricher}")
    String enricherGroup;

    @DynamicPropertySource
    static void missingDeadLetterTopic(DynamicPropertyRegistry registry) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(LEAD_CREATED, "lead.message." + RUN, "ai.process.request." + RUN).stream()
                    .map(t -> new NewTopic(t, TestInfrastructure.PARTITIONS, (short) 1)).toList()).all().get();
        }
        registry.add("app.topics.lead-created", () -> LEAD_CREATED);
        registry.add("app.topics.lead-message", () -> "lead.message." + RUN);
        registry.add("app.topics.ai-request", () -> "ai.process.request." + RUN);
        TestInfrastructure.database("dead_letter_unwritable_it").registerIn(registry);
        TestInfrastructure.ownConsumerGroups(registry, "dead-letter-unwritable");
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("app.topics.ai-error", () -> DEAD_LETTERS);
        registry.add("app.kafka.create-topics", () -> false);
        registry.add("camel.component.kafka.max-block-ms", () -> 1000);
        registry.add("app.enrichment.retry-backoff", () -> "500ms");
        registry.add("ai.intent.url", () -> TestInfrastructure.aiServices().baseUrl() + "/intent");
        registry.add("ai.entity.url", () -> TestInfrastructure.aiServices().baseUrl() + "/entities");
        // the enricher alone
        registry.add("camel.main.routes-include-pattern",
                () -> "classpath:routes/enricher-*.camel.yaml,classpath:routes/shared-*.camel.yaml");
    }

    @Test
    void failedRecordStaysUncommittedUntilItsDeadLetterIsWrittenOnce() throws Exception {
        String key = "unwritable-" + UUID.randomUUID();
        TestKafka kafka = new TestKafka(TestInfrastructure.kafkaBootstrapServers());
        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            publisher.send(LEAD_CREATED, key, "not JSON, so a dead letter at once");
        }
        ConsumerRecord<String, String> poison = kafka.read(LEAD_CREATED, r -> key.equals(r.key()),
                found -> !found.isEmpty(), Duration.ofSeconds(10), Duration.ZERO).get(0);
        TopicPartition partition = new TopicPartition(LEAD_CREATED, poison.partition());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrapServers()))) {
            // several attempts come and go; the group never commits past the record
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(enricherGroup)
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed == null || committed.offset() <= poison.offset();
            });

            admin.createTopics(List.of(new NewTopic(DEAD_LETTERS, TestInfrastructure.PARTITIONS, (short) 1))).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(enricherGroup)
                        .partitionsToOffsetAndMetadata().get().get(partition);
                return committed != null && committed.offset() > poison.offset();
            });
        }
        List<ConsumerRecord<String, String>> letters = kafka.read(DEAD_LETTERS, r -> key.equals(r.key()),
                found -> false, Duration.ofSeconds(3), Duration.ZERO);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).value()).isEqualTo("not JSON, so a dead letter at once");
    }
}
