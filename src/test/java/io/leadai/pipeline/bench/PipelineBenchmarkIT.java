package io.leadai.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.testinfra.ApplicationProcess;
import org.junit.jupiter.api.Test;

/**
 * The benchmark (bench/README.md). In {@code ./mvnw verify} a smoke run: a few hundred events through the whole
 * separate-process setup, asserting that nothing is lost or duplicated and that the report is written; its
 * figures are not judged. {@code ./mvnw -Pbench verify} runs the measurement itself.
 */
class PipelineBenchmarkIT {

    @Test
    void everyLeadPublishedEndsAsOneRowAndTheReportIsWritten() throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        PipelineBenchmark benchmark = new PipelineBenchmark(settings);
        BenchResults results = benchmark.run();
        Path json = BenchReport.writeJson(results, settings.resultsDirectory());
        System.out.println();
        System.out.println(BenchReport.table(results));
        System.out.println("  JSON: " + json);

        assertThat(results.throughput().reconciliation().ok())
                .as("throughput run: %s", results.throughput().reconciliation()).isTrue();
        results.latency().forEach(latency -> {
            assertThat(latency.reconciliation().ok())
                    .as("latency run at %.0f/s: %s", latency.ratePerSecond(), latency.reconciliation()).isTrue();
            assertThat(latency.stages()).extracting(BenchResults.Stage::name)
                    .containsExactly("to the enricher", "enrichment", "to the writer", "writer transaction");
            // the rows' times are read right: an enrichment waits at least for the stub's answers
            assertThat(latency.stages().get(1).p50Ms()).isGreaterThanOrEqualTo(settings.aiLatencyMs());
        });
        if (settings.floor()) {
            assertThat(results.floor().reconciliation().ok())
                    .as("floor run: %s", results.floor().reconciliation()).isTrue();
        }
        JsonNode written = BenchReport.JSON.readTree(Files.readString(json));
        assertThat(written.path("machine").path("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        // the application ran on the JDK it was given (app.java-home), not on the harness's by default
        assertThat(written.path("machine").path("app_java").asText())
                .isEqualTo(PipelineBenchmark.javaVersion(ApplicationProcess.configuredJavaHome())).isNotBlank();
        assertThat(written.path("throughput").path("leads_per_second").asDouble()).isPositive();
        assertThat(written.path("resources").path("peak_rss_mb").asDouble()).isPositive();
        assertThat(written.path("throughput").path("app_cpu_by_thread").path("camel").asDouble())
                .as("CPU of the application's Camel threads").isPositive();
    }
}
