package io.leadai.pipeline.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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

    /**
     * The connection is lost while the transaction commits (the moment PostgreSQL stopping mid-request hits one
     * time in three): a deferred trigger ends the session's own server process at COMMIT. The write is not stored,
     * and the answer is the same 503 as for a database that is down.
     */
    @Test
    void connectionLostWhileTheWriteCommitsAnswers503AndStoresNothing() throws Exception {
        String marker = "lose the connection at commit " + UUID.randomUUID();
        try (Connection admin = DriverManager.getConnection(postgres.database().url(),
                postgres.database().adminUsername(), postgres.database().adminPassword());
             Statement statement = admin.createStatement()) {
            statement.execute("""
                    CREATE OR REPLACE FUNCTION lose_connection_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        PERFORM pg_terminate_backend(pg_backend_pid());
                        RETURN NULL;
                    END $$""");
            statement.execute("""
                    CREATE CONSTRAINT TRIGGER lose_lead_connection_at_commit AFTER INSERT ON leads
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    WHEN (NEW.initial_message LIKE 'lose the connection at commit%')
                    EXECUTE FUNCTION lose_connection_at_commit()""");
            statement.execute("""
                    CREATE CONSTRAINT TRIGGER lose_message_connection_at_commit AFTER INSERT ON lead_messages
                    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
                    WHEN (NEW.message_text LIKE 'lose the connection at commit%')
                    EXECUTE FUNCTION lose_connection_at_commit()""");
        }
        ApiClient api = new ApiClient(port);
        String tenant = "commit-" + UUID.randomUUID().toString().substring(0, 8);
        String leadId = api.postJson("/api/v1/leads", lead(tenant)).json().get("lead_id").asText();

        for (ApiClient.Response response : new ApiClient.Response[] {
                api.postJson("/api/v1/leads", """
                        {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s"}""".formatted(tenant, marker)),
                api.postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + tenant, """
                        {"message_text": "%s"}""".formatted(marker))}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(response.json().get("error").asText()).isEqualTo("database unavailable");
            assertThat(response.header("Retry-After")).isNotNull();
        }

        // nothing of either write is stored, and the next request is served as usual
        try (Connection admin = DriverManager.getConnection(postgres.database().url(),
                postgres.database().adminUsername(), postgres.database().adminPassword());
             Statement statement = admin.createStatement();
             ResultSet stored = statement.executeQuery("SELECT (SELECT count(*) FROM leads WHERE tenant_id = '" + tenant
                     + "'), (SELECT count(*) FROM lead_messages WHERE tenant_id = '" + tenant + "')")) {
            stored.next();
            assertThat(stored.getInt(1)).as("leads").isEqualTo(1);
            assertThat(stored.getInt(2)).as("messages").isZero();
        }
        assertThat(api.postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + tenant, """
                {"message_text": "Still there?"}""").status()).isEqualTo(202);
    }

    private static String lead(String tenant) {
        return """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "Is anyone there?"}""".formatted(tenant);
    }
}
