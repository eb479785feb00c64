package io.leadai.pipeline.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.Probes;
import io.leadai.pipeline.testinfra.RestartablePostgres;
import io.leadai.pipeline.testinfra.TestCredentials;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The probes on the management port while Kafka, PostgreSQL and the AI services go away and come back:
 * readiness DOWN naming what is missing, liveness UP all along. The application has a broker, a database
 * and AI services of its own here, so stopping them disturbs no other test. The application starts before
 * its broker does (the first test), as a pod may start before Kafka.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthProbesIT {

    private static final int KAFKA_PORT = TestInfrastructure.freePort();
    private static final RestartablePostgres postgres = new RestartablePostgres();
    private static final WireMockServer ai = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    /** Started by the tests, after the application. */
    private static EmbeddedKafkaKraftBroker broker;

    static {
        ai.start();
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    CamelContext camel;

    private Probes probes;

    @DynamicPropertySource
    static void ownKafkaDatabaseAndAiServices(DynamicPropertyRegistry registry) {
        postgres.registerIn(registry);
        TestInfrastructure.ownConsumerGroups(registry, "health");
        TestCredentials.registerIn(registry);
        registry.add("app.kafka.brokers", () -> "localhost:" + KAFKA_PORT);
        registry.add("app.kafka.partitions", () -> TestInfrastructure.PARTITIONS);
        registry.add("app.kafka.admin-timeout", () -> "1s");
        registry.add("camel.component.kafka.max-block-ms", () -> 1000);
        registry.add("ai.intent.url", () -> ai.baseUrl() + "/intent");
        registry.add("ai.entity.url", () -> ai.baseUrl() + "/entities");
        registry.add("camel.component.http.response-timeout", () -> 1000);
        // circuits that open after a few failed calls, and stay open long enough to be seen
        registry.add("app.enrichment.circuit-breaker.minimum-number-of-calls", () -> 4);
        registry.add("app.enrichment.circuit-breaker.sliding-window-size", () -> 4);
        registry.add("app.enrichment.circuit-breaker.wait-duration-in-open-state", () -> "4s");
        registry.add("app.enrichment.retry.max-redeliveries", () -> 1);
        registry.add("app.enrichment.retry.initial-delay-ms", () -> 50);
        registry.add("app.enrichment.retry-backoff", () -> "500ms");
        registry.add("app.writer.retry-backoff", () -> "500ms");
        registry.add("camel.routecontroller.back-off-delay", () -> 500);
    }

    @AfterAll
    static void stopAll() {
        if (broker != null) {
            broker.destroy();
        }
        postgres.destroy();
        ai.stop();
    }

    @BeforeEach
    void aiServicesAnswer() {
        probes = new Probes(managementPort);
        ai.resetAll();
        ai.stubFor(post("/intent").willReturn(okJson("{\"intent\": \"purchase\", \"confidence\": 0.9}")));
        ai.stubFor(post("/entities").willReturn(okJson("{\"entities\": []}")));
    }

    @Test
    @Order(1)
    void startsBeforeKafkaAndBecomesReadyWhenItComesUp() {
        assertThat(broker).as("this test needs the application started without Kafka: run it first").isNull();
        // routes that fail to start are retried in the background instead of failing the start-up
        assertThat(camel.getRouteController().isSupervising()).isTrue();
        probes.assertLive();
        ApiClient.Response notReady = probes.readiness();
        assertThat(notReady.status()).as(notReady.toString()).isEqualTo(503);
        assertThat(Probes.camelChecks(notReady)).containsEntry("consumer:enrich-lead-events", "DOWN")
                .containsEntry("consumer:store-ai-results", "DOWN").containsEntry("consumer:store-ai-errors", "DOWN");

        broker = TestInfrastructure.startEmbeddedKafka(KAFKA_PORT);
        awaitReady(Duration.ofSeconds(60));
    }

    @Test
    @Order(2)
    void readinessListsCamelChecksAndTheDatabaseWhenAllIsUp() {
        allUp();
        ApiClient.Response ready = probes.readiness();
        assertThat(Probes.component(ready, "db")).isEqualTo("UP");
        assertThat(Probes.component(ready, "readinessState")).isEqualTo("UP");
        assertThat(Probes.camelChecks(ready))
                .containsEntry("context", "UP")
                .containsEntry("route-controller", "UP")
                .containsEntry("route:enrich-lead-events", "UP")
                .containsEntry("route:relay-outbox", "UP")
                .containsEntry("consumer:enrich-lead-events", "UP")
                .containsEntry("consumer:store-ai-results", "UP")
                .containsEntry("consumer:store-ai-errors", "UP")
                .containsEntry("ai-circuits", "UP")
                .allSatisfy((check, state) -> assertThat(state).as(check).isEqualTo("UP"));
        assertThat(Probes.camelCheckData(ready, "ai-circuits").path("circuit.intent").asText()).isEqualTo("CLOSED");

        // liveness is the process and the Camel context, nothing it depends on
        ApiClient.Response live = probes.liveness();
        assertThat(live.json().path("components").properties()).extracting(e -> e.getKey())
                .containsExactlyInAnyOrder("livenessState", "camelLivenessState");
    }

    @Test
    @Order(3)
    void kafkaOutageMakesReadinessDownAndLeavesLivenessUp() {
        allUp();

        broker.destroy();
        broker = null;
        ApiClient.Response notReady = awaitNotReady(Duration.ofSeconds(20));
        assertThat(Probes.camelChecks(notReady)).containsEntry("consumer:enrich-lead-events", "DOWN");
        assertThat(Probes.camelCheckData(notReady, "consumer:enrich-lead-events").path("bootstrap.servers").asText())
                .isEqualTo("localhost:" + KAFKA_PORT);
        // what does not need Kafka stays as it was
        assertThat(Probes.component(notReady, "db")).isEqualTo("UP");
        assertThat(Probes.camelChecks(notReady)).containsEntry("context", "UP");

        allUp();
    }

    @Test
    @Order(4)
    void databaseOutageMakesReadinessDownAndLeavesLivenessUp() {
        allUp();

        postgres.stop();
        try {
            ApiClient.Response notReady = awaitNotReady(Duration.ofSeconds(20));
            assertThat(Probes.component(notReady, "db")).isEqualTo("DOWN");
            // why: the connection error, or (a pooled connection that died) the failed validation
            assertThat(notReady.json().path("components").path("db").path("details").isEmpty()).isFalse();
        } finally {
            postgres.start();
        }
        awaitReady(Duration.ofSeconds(30));
    }

    @Test
    @Order(5)
    void aiOutageOpensTheCircuitAndMakesReadinessDownAndLeavesLivenessUp() {
        allUp();

        ai.resetAll();
        ai.stubFor(post("/intent").willReturn(aResponse().withStatus(503)));
        ai.stubFor(post("/entities").willReturn(aResponse().withStatus(503)));
        String tenant = "health-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 6; i++) {
            createLead(tenant, "I want " + (i + 1) + " laptops");
        }

        ApiClient.Response notReady = awaitNotReady(Duration.ofSeconds(30));
        assertThat(Probes.camelChecks(notReady)).containsEntry("ai-circuits", "DOWN")
                .containsEntry("consumer:enrich-lead-events", "UP");
        assertThat(Probes.camelCheckData(notReady, "ai-circuits").path("reason").asText()).contains("OPEN");

        // the services answer again: the circuits half-open, calls go through, and they close
        aiServicesAnswer();
        awaitReady(Duration.ofSeconds(30));
        String leadId = createLead(tenant, "Back again");
        ApiClient api = new ApiClient(port);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(api.get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant).json().path("status").asText())
                    .isEqualTo("enriched");
            ApiClient.Response ready = probes.readiness();
            assertThat(ready.status()).isEqualTo(200);
            assertThat(Probes.camelCheckData(ready, "ai-circuits").path("circuit.intent").asText()).isEqualTo("CLOSED");
            assertThat(Probes.camelCheckData(ready, "ai-circuits").path("circuit.entity").asText()).isEqualTo("CLOSED");
        });
    }

    private String createLead(String tenant, String text) {
        ApiClient.Response created = new ApiClient(port).postJson("/api/v1/leads", """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s"}""".formatted(tenant, text));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("lead_id").asText();
    }

    /** Kafka running (again), and the application ready. */
    private void allUp() {
        kafkaRunning();
        awaitReady(Duration.ofSeconds(60));
    }

    private void kafkaRunning() {
        if (broker == null) {
            broker = TestInfrastructure.startEmbeddedKafka(KAFKA_PORT);
        }
    }

    /** Waits for readiness 200 UP, checking at every look that liveness stayed UP. */
    private void awaitReady(Duration atMost) {
        looking(atMost).untilAsserted(() -> {
            probes.assertLive();
            ApiClient.Response ready = probes.readiness();
            assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        });
    }

    /** Waits for readiness 503 DOWN, checking at every look that liveness stayed UP; returns that answer. */
    private ApiClient.Response awaitNotReady(Duration atMost) {
        ApiClient.Response[] answer = new ApiClient.Response[1];
        looking(atMost).untilAsserted(() -> {
            probes.assertLive();
            answer[0] = probes.readiness();
            assertThat(answer[0].status()).as(answer[0].toString()).isEqualTo(503);
        });
        probes.assertLive();
        assertThat(answer[0].json().path("status").asText()).isEqualTo("DOWN");
        return answer[0];
    }

    private static ConditionFactory looking(Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(250));
    }
}
