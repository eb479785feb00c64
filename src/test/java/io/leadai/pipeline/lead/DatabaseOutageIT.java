package io.leadai.pipeline.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/** PostgreSQL stops: the API answers 503 with a JSON body, and works again once the database is back. */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DatabaseOutageIT {

    private static final int DB_PORT = TestInfrastructure.freePort();
    private static final Path DATA = dataDirectory();
    private static EmbeddedPostgres postgres = start();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
        registry.add("spring.datasource.hikari.connection-timeout", () -> 1000);
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
        FileSystemUtils.deleteRecursively(DATA);
    }

    @Test
    void apiAnswers503WhileTheDatabaseIsDownAndRecoversAfter() throws IOException {
        ApiClient api = new ApiClient(port);
        String tenant = "db-" + UUID.randomUUID().toString().substring(0, 8);
        String leadId = api.postJson("/api/v1/leads", lead(tenant)).json().get("lead_id").asText();

        postgres.close();
        for (ApiClient.Response response : new ApiClient.Response[] {
                api.postJson("/api/v1/leads", lead(tenant)),
                api.get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant),
                api.get("/api/v1/leads?tenant_id=" + tenant)}) {
            assertThat(response.status()).as(response.toString()).isEqualTo(503);
            assertThat(response.json().get("error").asText()).isEqualTo("database unavailable");
            assertThat(response.header("Retry-After")).isNotNull();
            assertThat(response.body()).doesNotContainIgnoringCase("sql").doesNotContain("Exception");
        }

        postgres = start();
        ApiClient.Response created = api.postJson("/api/v1/leads", lead(tenant));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        ApiClient.Response list = api.get("/api/v1/leads?tenant_id=" + tenant);
        assertThat(list.json().get("items")).hasSize(2);
    }

    private static String lead(String tenant) {
        return """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "Is anyone there?"}""".formatted(tenant);
    }

    /** The same server again: same port, same data directory. */
    private static EmbeddedPostgres start() {
        return TestInfrastructure.startEmbeddedPostgres(EmbeddedPostgres.builder()
                .setPort(DB_PORT)
                .setDataDirectory(DATA)
                .setCleanDataDirectory(false));
    }

    private static Path dataDirectory() {
        try {
            return Files.createTempDirectory("database-outage-it");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
