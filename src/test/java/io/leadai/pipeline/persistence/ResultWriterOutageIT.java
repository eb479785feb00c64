package io.leadai.pipeline.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.leadai.pipeline.testinfra.RestartablePostgres;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestKafka;
import io.leadai.pipeline.testinfra.TestResults;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** PostgreSQL stops while results arrive: nothing is committed meanwhile, and every result is stored once after. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class ResultWriterOutageIT {

    private static final RestartablePostgres postgres = new RestartablePostgres();

    /** What the pipeline stored, every tenant's rows. */
    JdbcTemplate jdbc;

    @Autowired
    void adminJdbc(Environment environment) {
        jdbc = TestInfrastructure.adminJdbc(environment);
    }

    @Value("${app.kafka.groups.writer}")
    String writerGroup;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        postgres.registerIn(registry);
        TestInfrastructure.ownConsumerGroups(registry, "writer-outage");
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("app.writer.retry-backoff", () -> "500ms");
        // only the writer: the API group's relay would only add noise while the database is away
        registry.add("camel.main.routes-include-pattern",
                () -> "classpath:routes/writer-*.camel.yaml,classpath:routes/shared-*.camel.yaml");
    }

    @AfterAll
    static void stop() {
        postgres.destroy();
    }

    @Test
    void resultsArrivingWhileTheDatabaseIsDownAreStoredOnceItReturns() {
        String tenant = "wo-" + UUID.randomUUID().toString().substring(0, 8);
        TestKafka kafka = new TestKafka(TestInfrastructure.kafkaBootstrapServers());
        List<UUID> sources = new ArrayList<>();
        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            // the group's start: one stored result, so the lag below counts only what came during the outage
            UUID first = UUID.randomUUID();
            publisher.send("ai.process.result", "k", TestResults.result(first, tenant, null, null, "other", 0.2, now()));
            await().atMost(Duration.ofSeconds(20)).until(() -> kafka.lag(writerGroup, "ai.process.result") == 0);
            long lagBefore = kafka.lag(writerGroup, "ai.process.result");

            postgres.stop();
            for (int i = 0; i < 30; i++) {
                UUID source = UUID.randomUUID();
                sources.add(source);
                publisher.send("ai.process.result", "k-" + i,
                        TestResults.result(source, tenant, null, null, "pricing", 0.5, now()));
            }
            // several failed attempts; the writer must not commit past what it could not store
            await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> kafka.lag(writerGroup, "ai.process.result") == lagBefore + 30);

            postgres.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> kafka.lag(writerGroup, "ai.process.result") == 0);
        }
        List<UUID> stored = jdbc.queryForList("SELECT source_event_id FROM ai_results WHERE tenant_id = ? "
                + "AND intent = 'pricing'", UUID.class, tenant);
        assertThat(stored).containsExactlyInAnyOrderElementsOf(sources);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
