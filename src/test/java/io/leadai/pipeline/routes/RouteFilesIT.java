package io.leadai.pipeline.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The application runs the flows in routes/, all of them, under the ids the docs and operators use. */
class RouteFilesIT extends PipelineIntegrationTest {

    static final Set<String> EXPECTED_ROUTE_IDS = Set.of(
            "create-lead", "add-lead-message", "reprocess-lead", "get-lead", "list-leads", "respond-json",
            "kafka-health", "kafka-test",
            "relay-outbox", "wake-outbox-relay", "relay-outbox-on-wakeup", "publish-outbox-batch", "send-outbox-batch",
            "purge-outbox", "purge-published-outbox",
            "enrich-lead-events", "enrich-record", "ask-ai-services", "ask-intent-service", "ask-entity-service", "dead-letter-failed-record", "dead-letter",
            "store-ai-results", "write-ai-results", "store-ai-errors", "write-ai-errors",
            "list-ai-errors", "replay-ai-error", "get-kafka-test-result", "find-ai-result",
            // REST operations (api-rest.camel.yaml), named by their OpenAPI operationId
            "createLead", "addLeadMessage", "reprocessLead", "listLeads", "getLead", "kafkaHealth", "kafkaTest",
            "listAiErrors", "replayAiError", "getKafkaTestResult");

    /** Files that declare only REST operations: Camel records no source file for those routes. */
    static final Set<String> REST_ONLY_FILES = Set.of("api-rest.camel.yaml");

    @Autowired
    CamelContext camel;

    @Test
    void everyExpectedRouteIsLoadedFromTheRouteFiles() throws IOException {
        Set<String> loaded = camel.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toSet());
        assertThat(loaded).containsAll(EXPECTED_ROUTE_IDS);
        assertThat(camel.getRouteController().getRouteStatus("relay-outbox").isStarted()).isTrue();

        Set<String> sources = camel.getRoutes().stream()
                .map(Route::getSourceLocationShort)
                .filter(s -> s != null && s.contains(".camel.yaml"))
                .map(s -> s.substring(0, s.indexOf(".camel.yaml") + ".camel.yaml".length()))
                .collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            List<String> routeFiles = files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".camel.yaml") && !REST_ONLY_FILES.contains(name)).toList();
            assertThat(routeFiles).isNotEmpty();
            for (String file : routeFiles) {
                assertThat(sources).as("routes from " + file).anyMatch(source -> source.endsWith(file));
            }
        }
    }
}
