package io.leadai.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.testinfra.AiServiceStubs;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.PrometheusScrape;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * docs/grafana/lead-ai-pipeline.json reads only metrics the application exports: every metric name in its
 * PromQL (panels and variables) appears in a real scrape of the running application.
 */
class GrafanaDashboardIT extends PipelineIntegrationTest {

    static final Path DASHBOARD = Path.of("docs/grafana/lead-ai-pipeline.json");

    @LocalManagementPort
    int managementPort;

    @Test
    void everyMetricTheDashboardReadsIsInTheScrape() throws IOException {
        enrichOneLead();
        // Micrometer's GC pause timer exists from the first collection on; a short test run may have had none yet
        System.gc();
        Map<String, Set<String>> metricsByPanel = metricsByPanel(new ObjectMapper().readTree(DASHBOARD.toFile()));
        Set<String> scraped = PrometheusScrape.of(managementPort).names();

        Map<String, Set<String>> missing = new TreeMap<>();
        metricsByPanel.forEach((panel, metrics) -> metrics.stream().filter(m -> !scraped.contains(m))
                .forEach(m -> missing.computeIfAbsent(panel, p -> new TreeSet<>()).add(m)));
        assertThat(missing).as("metrics the dashboard reads that the application does not export").isEmpty();

        // and it shows what an operator needs
        Set<String> used = new TreeSet<>();
        metricsByPanel.values().forEach(used::addAll);
        assertThat(used).contains("camel_exchanges_total", "camel_route_policy_seconds_bucket",
                "leadai_ai_request_seconds_bucket", "leadai_ai_redeliveries_total", "leadai_dead_letters_total",
                "leadai_outbox_unpublished_rows", "leadai_outbox_oldest_unpublished_age_seconds",
                "leadai_kafka_consumer_lag_records", "jvm_memory_used_bytes");
    }

    /** Every expression of the dashboard, by panel title (variables as "variable name"). */
    private static Map<String, Set<String>> metricsByPanel(JsonNode dashboard) {
        Map<String, Set<String>> metrics = new TreeMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.get("panels").forEach(panels::add);
        dashboard.get("panels").forEach(p -> p.path("panels").forEach(panels::add));
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as(panel.path("title").asText()).isNotBlank();
                metrics.computeIfAbsent(panel.path("title").asText(), t -> new TreeSet<>())
                        .addAll(PromQl.metricNames(target.get("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                JsonNode query = variable.get("query");
                String text = query.isTextual() ? query.asText() : query.path("query").asText();
                metrics.computeIfAbsent("variable " + variable.path("name").asText(), t -> new TreeSet<>())
                        .addAll(PromQl.metricNames(text));
            }
        }
        assertThat(metrics).as("panels with queries").hasSizeGreaterThan(5);
        return metrics;
    }

    /** Traffic through the routes, so that their timers exist (Camel creates them at the first exchange). */
    private void enrichOneLead() {
        String tenant = "dashboard-" + UUID.randomUUID().toString().substring(0, 8);
        try (AiServiceStubs ai = new AiServiceStubs()) {
            ai.answer("{\"intent\": \"booking\", \"confidence\": 0.8}", "{\"entities\": []}");
            String leadId = api().createLead(tenant, "Book a table, " + ai.marker());
            await().atMost(Duration.ofSeconds(30)).until(() -> "enriched".equals(api().leadStatus(tenant, leadId)));
        }
    }
}
