package io.leadai.pipeline.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.leadai.pipeline.testinfra.AiServiceStubs;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.PrometheusScrape;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestResults;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * What an operator reads at {@code /actuator/prometheus} on the management port, after real traffic: leads
 * enriched through WireMock AI services, a retried AI call, an invalid event, a stopped relay and writer.
 */
class MetricsIT extends PipelineIntegrationTest {

    private static final String PURCHASE = "{\"intent\": \"purchase\", \"confidence\": 0.93}";
    private static final String LAPTOPS = "{\"entities\": [{\"type\": \"quantity\", \"value\": \"2\"}]}";
    private static final String DEAD_LETTERS = "leadai_dead_letters_total";
    private static final String AI_REQUESTS = "leadai_ai_request_seconds_count";

    @LocalManagementPort
    int managementPort;

    @Value("${app.kafka.groups.enricher}")
    String enricherGroup;
    @Value("${app.kafka.groups.writer}")
    String writerGroup;
    @Value("${app.kafka.groups.error-writer}")
    String errorWriterGroup;

    @Autowired
    CamelContext camel;

    private final AiServiceStubs ai = new AiServiceStubs();
    private String tenant;

    @BeforeEach
    void newRun() {
        tenant = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        ai.answer(PURCHASE, LAPTOPS);
    }

    @AfterEach
    void removeStubs() {
        ai.close();
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.of(managementPort);
    }

    private String createLead(String text) {
        return api().createLead(tenant, text + " (" + ai.marker() + ")");
    }

    @Test
    void routesAiLatencyRetriesAndDeadLettersAreCountedAsTheyHappen() {
        // the intent service fails once (503) for one lead, then answers: one redelivery, no dead letter
        String flaky = "flaky " + UUID.randomUUID();
        ai.stub(ai.request("/intent", flaky).atPriority(1).inScenario(flaky)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("failed once"));
        PrometheusScrape before = scrape();

        List<String> leads = List.of(createLead("I want to buy 2 laptops"), createLead("Price for 2 laptops?"),
                createLead("Buy now, " + flaky));
        String badKey = "bad-" + UUID.randomUUID();
        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            publisher.send("lead.created", badKey, "{\"event_id\": \"" + UUID.randomUUID()
                    + "\", \"tenant_id\": \"" + tenant + "\", \"text\": \"no lead_id, no initial_message\"}");
        }

        await().atMost(Duration.ofSeconds(30)).until(() ->
                leads.stream().allMatch(l -> "enriched".equals(api().leadStatus(tenant, l))));
        await().atMost(Duration.ofSeconds(30)).until(() -> delta(before, scrape(), DEAD_LETTERS) >= 1);
        // the dead letter is on ai.error once, and counted once: by its source topic and why it failed
        assertThat(kafka().read("ai.error", r -> badKey.equals(r.key()), found -> !found.isEmpty(),
                Duration.ofSeconds(10), Duration.ofSeconds(1))).hasSize(1);
        PrometheusScrape after = scrape();
        assertThat(delta(before, after, DEAD_LETTERS)).isEqualTo(1);
        assertThat(delta(before, after, DEAD_LETTERS, "topic", "lead.created", "kind", "invalid_event")).isEqualTo(1);

        // per route: exchanges and their timings (Camel's route policy)
        assertThat(delta(before, after, "camel_exchanges_total", "routeId", "enrich-record")).isGreaterThanOrEqualTo(4);
        assertThat(delta(before, after, "camel_route_policy_seconds_count", "routeId", "enrich-record"))
                .isGreaterThanOrEqualTo(4);
        assertThat(after.sum("camel_route_policy_seconds_sum", "routeId", "enrich-record")).isPositive();
        assertThat(after.samples("camel_route_policy_seconds_bucket", "routeId", "enrich-record")).isNotEmpty();
        assertThat(delta(before, after, "camel_exchanges_total", "routeId", "store-ai-results")).isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "camel_route_policy_seconds_count", "routeId", "store-ai-results"))
                .isGreaterThanOrEqualTo(1);

        // AI latency per service, the failed call among them, with buckets for p50/p99
        assertThat(delta(before, after, AI_REQUESTS, "service", "intent", "outcome", "success")).isGreaterThanOrEqualTo(3);
        assertThat(delta(before, after, AI_REQUESTS, "service", "entity", "outcome", "success")).isGreaterThanOrEqualTo(3);
        assertThat(delta(before, after, AI_REQUESTS, "service", "intent", "outcome", "failure")).isEqualTo(1);
        assertThat(delta(before, after, "leadai_ai_request_seconds_bucket", "service", "intent", "outcome", "success",
                "le", "+Inf")).isGreaterThanOrEqualTo(3);
        assertThat(after.samples("leadai_ai_request_seconds_bucket", "service", "entity")).hasSizeGreaterThan(2);

        // the one redelivery of the 503
        assertThat(delta(before, after, "leadai_ai_redeliveries_total")).isEqualTo(1);
        assertThat(delta(before, after, "leadai_ai_redeliveries_total", "topic", "lead.created", "kind", "http_5xx"))
                .isEqualTo(1);
    }

    @Test
    void outboxGaugesShowTheRowsTheRelayHasNotPublishedAndTheOldestRowsAge() throws Exception {
        camel.getRouteController().stopRoute("relay-outbox");
        camel.getRouteController().stopRoute("relay-outbox-on-wakeup");
        try {
            createLead("Waiting in the outbox");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                PrometheusScrape scrape = scrape();
                long unpublished = jdbc.queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL",
                        Long.class);
                assertThat(unpublished).isPositive();
                assertThat(scrape.value("leadai_outbox_unpublished_rows")).isEqualTo(unpublished);
                assertThat(scrape.value("leadai_outbox_oldest_unpublished_age_seconds")).isGreaterThan(0.5);
            });
        } finally {
            camel.getRouteController().startRoute("relay-outbox-on-wakeup");
            camel.getRouteController().startRoute("relay-outbox");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PrometheusScrape scrape = scrape();
            assertThat(scrape.value("leadai_outbox_unpublished_rows")).isZero();
            assertThat(scrape.value("leadai_outbox_oldest_unpublished_age_seconds")).isZero();
        });
    }

    @Test
    void consumerLagGaugeOfEachGroupCountsWhatItHasNotCommitted() throws Exception {
        // one partition of ai.process.result (one key), which the writer has committed on
        String key = "lag-" + UUID.randomUUID();
        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            publisher.send("ai.process.result", key, result());
            await().atMost(Duration.ofSeconds(20)).until(() -> kafka().lag(writerGroup, "ai.process.result") == 0);
            camel.getRouteController().stopRoute("store-ai-results");
            try {
                for (int i = 0; i < 3; i++) {
                    publisher.send("ai.process.result", key, result());
                }
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        scrape().value("leadai_kafka_consumer_lag_records", "group", writerGroup) == 3);
            } finally {
                camel.getRouteController().startRoute("store-ai-results");
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                scrape().value("leadai_kafka_consumer_lag_records", "group", writerGroup) == 0);
        // every group has its gauge, with the lag GET /kafka/health reports for it
        for (String group : List.of(enricherGroup, writerGroup, errorWriterGroup)) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                double gauge = scrape().value("leadai_kafka_consumer_lag_records", "group", group);
                assertThat(gauge).isNotNaN().isEqualTo(healthLag(group));
            });
        }
    }

    private double healthLag(String group) {
        for (var entry : api().get("/kafka/health").json().get("consumer_groups")) {
            if (entry.get("group_id").asText().equals(group)) {
                return entry.get("lag").asDouble();
            }
        }
        throw new AssertionError("no group " + group + " in /kafka/health");
    }

    private String result() {
        return TestResults.result(UUID.randomUUID(), tenant, null, null, "other", 0.4, Instant.now());
    }

    private static double delta(PrometheusScrape before, PrometheusScrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }
}
