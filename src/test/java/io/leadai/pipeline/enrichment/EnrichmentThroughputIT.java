package io.leadai.pipeline.enrichment;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A figure, not a target: lead.created events through enrichment (WireMock answering after a fixed 10 ms)
 * and the result writer into PostgreSQL, in this JVM with its in-JVM broker. Run with
 * {@code ./mvnw verify -Dit.test=EnrichmentThroughputIT -Dthroughput.events=5000}; the real benchmark is
 * the performance harness's job.
 */
@EnabledIfSystemProperty(named = "throughput.events", matches = "\\d+")
class EnrichmentThroughputIT extends PipelineIntegrationTest {

    @Test
    void printsLeadsPerSecondThroughTheWholeFlow() {
        int events = Integer.getInteger("throughput.events");
        String tenant = "tp-" + UUID.randomUUID().toString().substring(0, 8);
        String marker = "throughput " + tenant;
        WireMockServer ai = TestInfrastructure.aiServices();
        StubMapping intent = ai.stubFor(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson("{\"intent\": \"purchase\", \"confidence\": 0.9}").withFixedDelay(10)));
        StubMapping entities = ai.stubFor(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson("{\"entities\": [{\"type\": \"product\", \"value\": \"laptop\"}]}").withFixedDelay(10)));
        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String eventId = UUID.randomUUID().toString();
                publisher.sendAsync("lead.created", UUID.randomUUID().toString(), """
                        {"event_id": "%s", "event_type": "lead.created", "occurred_at": "%s", "tenant_id": "%s",
                         "business_id": "b-1", "lead_id": "%s", "initial_message": "I want to buy 2 laptops %s"}"""
                        .formatted(eventId, Instant.now(), tenant, UUID.randomUUID(), marker));
            }
            publisher.flush();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM ai_results WHERE tenant_id = ?", Integer.class, tenant) == events);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("Enrichment throughput: %d lead.created events -> ai_results in %.1f s = %.0f leads/s "
                    + "(WireMock 10 ms per call, %d cores)%n", events, seconds, events / seconds,
                    Runtime.getRuntime().availableProcessors());
            assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE tenant_id = ?", Integer.class, tenant))
                    .isEqualTo(events);
        } finally {
            ai.removeStub(intent);
            ai.removeStub(entities);
        }
    }
}
