package io.leadai.pipeline.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.TestCredentials;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reload while developing: the application runs the api route group from a folder of route files with
 * camel.main.routes-reload-enabled, as the local run does with routes/; saving an edited file changes what the
 * API answers, without a restart, and every other route keeps working; a save that does not load changes nothing.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RouteReloadIT {

    private static final Path ROUTES = copyOfApiRoutes();
    private static final String TENANT = "route-reload-it";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void routesFromAFolderReloadedOnSave(DynamicPropertyRegistry registry) {
        TestInfrastructure.database("route_reload_it").registerIn(registry);
        TestCredentials.registerIn(registry);
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES + "/*.camel.yaml");
        registry.add("camel.main.routes-reload-enabled", () -> true);
        registry.add("camel.main.routes-reload-directory", ROUTES::toString);
    }

    @Test
    void savingAnEditedRouteFileChangesTheRunningRoute() throws IOException {
        ApiClient api = new ApiClient(port);
        ApiClient.Response before = api.get("/api/v1/leads?tenant_id=" + TENANT);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.header("X-Api-Version")).isNull();

        // an integrator adds a header to every answer of the API, in respond-json
        Path file = ROUTES.resolve("api-responses.camel.yaml");
        String original = Files.readString(file);
        String contentType = """
                        - setHeader:
                            name: Content-Type
                            constant: application/json
                """;
        assertThat(original).contains(contentType);
        long savedAt = System.nanoTime();
        Files.writeString(file, original.replace(contentType, contentType + """
                        - setHeader:
                            name: X-Api-Version
                            constant: "2"
                """));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> "2".equals(api.get("/api/v1/leads?tenant_id=" + TENANT).header("X-Api-Version")));
        System.out.printf("route file saved -> new behaviour served in %d ms%n",
                Duration.ofNanos(System.nanoTime() - savedAt).toMillis());

        // the other routes were reloaded with it: a write goes through intake, the outbox and the answer
        ApiClient.Response created = api.postJson("/api/v1/leads",
                "{\"tenant_id\": \"" + TENANT + "\", \"business_id\": \"shop-1\", \"initial_message\": \"2 laptops\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("X-Api-Version")).isEqualTo("2");
        assertThat(api.get("/api/v1/leads?tenant_id=" + TENANT).json().path("items")).hasSize(1);

        // a save that does not load (bad indentation) leaves the running routes as they were...
        String edited = Files.readString(file);
        Files.writeString(file, edited.replace("            constant: \"2\"", "           constant: \"3\""));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
            ApiClient.Response answer = api.get("/api/v1/leads?tenant_id=" + TENANT);
            return answer.status() == 200 && "2".equals(answer.header("X-Api-Version"));
        });
        // ...and the next good save is applied
        Files.writeString(file, edited.replace("constant: \"2\"", "constant: \"3\""));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> "3".equals(api.get("/api/v1/leads?tenant_id=" + TENANT).header("X-Api-Version")));
    }

    /** The api group's files in a folder of their own, which the test may edit. */
    private static Path copyOfApiRoutes() {
        try {
            Path folder = Files.createTempDirectory("route-reload-it");
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path route : files.filter(p -> p.getFileName().toString().startsWith("api-")).toList()) {
                    Files.copy(route, folder.resolve(route.getFileName()));
                }
            }
            return folder.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
