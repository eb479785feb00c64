package io.leadai.pipeline.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PrometheusScrape;
import io.leadai.pipeline.testinfra.RestartablePostgres;
import io.leadai.pipeline.testinfra.TestCredentials;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PostgreSQL stops: the API answers 503 with a JSON body, the outbox gauges read NaN, and both work again
 * once the database is back.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false)
@DirtiesContext
class DatabaseOutageIT {

    private static final RestartablePostgres postgres = new RestartablePostgres();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        postgres.registerIn(registry);
        TestInfrastructure.ownConsumerGroups(registry, "database-outage");
        TestCredentials.registerIn(registry);
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("app.metrics.refresh-interval", () -> "1s");
    }

    @AfterAll
    static void stop() {
        postgres.destroy();
    }

    @Test
    void apiAnswers503WhileTheDatabaseIsDownAndRecoversAfter() {
        ApiClient api = new ApiClient(port);
        String tenant = "db-" + UUID.randomUUID().toString().substring(0, 8);
        String leadId = api.postJson("/api/v1/leads", lead(tenant)).json().get("lead_id").asText();

        postgres.stop();
        for (ApiClient.Response response : new ApiClient.Response[] {
                api.postJson("/api/v1/leads", lead(tenant)),
                api.get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant),
                api.get("/api/v1/leads?tenant_id=" + tenant)}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(response.json().get("error").asText()).isEqualTo("database unavailable");
            assertThat(response.header("Retry-After")).isNotNull();
            assertThat(response.body()).doesNotContainIgnoringCase("sql").doesNotContain("Exception");
        }
        // metrics are still served; the outbox gauges say they do not know, rather than a stale figure
        await().atMost(Duration.ofSeconds(15)).until(() ->
                Double.isNaN(PrometheusScrape.of(managementPort).value("leadai_outbox_unpublished_rows")));

        postgres.start();
        // the pool notices within seconds; a client retrying after Retry-After gets through, and a refused
        // attempt wrote nothing
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> api.postJson("/api/v1/leads", lead(tenant)).status() == 201);
        ApiClient.Response list = api.get("/api/v1/leads?tenant_id=" + tenant);
        assertThat(list.json().get("items")).hasSize(2);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                PrometheusScrape.of(managementPort).value("leadai_outbox_unpublished_rows") >= 0);
    }

    private static String lead(String tenant) {
        return """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "Is anyone there?"}""".formatted(tenant);
    }
}
