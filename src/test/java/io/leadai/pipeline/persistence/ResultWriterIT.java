package io.leadai.pipeline.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.kafka.DeadLetters;
import io.leadai.pipeline.kafka.InvalidEventException;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestResults;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

class ResultWriterIT extends PipelineIntegrationTest {

    private static final String RESULTS = "ai.process.result";

    @Value("${app.kafka.groups.writer}")
    String writerGroup;

    @Autowired
    CamelContext camel;

    private TestResults publisher;
    private String tenant;

    @BeforeEach
    void setUp() {
        publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers());
        tenant = "w-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        publisher.close();
    }

    private UUID createLead() {
        return UUID.fromString(api().postJson("/api/v1/leads", """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "I want to buy 2 laptops"}"""
                .formatted(tenant)).json().get("lead_id").asText());
    }

    private Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void resultsEnrichTheirLeadAndMessage() {
        UUID leadId = createLead();
        UUID messageId = UUID.fromString(api().postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + tenant,
                "{\"message_text\": \"Can you deliver Friday?\"}").json().get("message_id").asText());
        Instant processedAt = now();

        publisher.send(RESULTS, leadId.toString(),
                TestResults.result(UUID.randomUUID(), tenant, leadId, null, "purchase", 0.93, processedAt));
        publisher.send(RESULTS, leadId.toString(),
                TestResults.result(UUID.randomUUID(), tenant, leadId, messageId, "booking", 0.81, processedAt));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode lead = api().get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant).json();
            assertThat(lead.get("status").asText()).isEqualTo("enriched");
            assertThat(lead.get("enrichment").get("intent").asText()).isEqualTo("purchase");
        });
        JsonNode enrichment = api().get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant).json().get("enrichment");
        assertThat(enrichment.get("confidence").asDouble()).isEqualTo(0.93);
        assertThat(enrichment.get("entities").get(1).get("value").asText()).isEqualTo("laptop");
        assertThat(Instant.parse(enrichment.get("enriched_at").asText())).isEqualTo(processedAt);
        await().atMost(Duration.ofSeconds(10)).until(() -> "booking".equals(jdbc.queryForObject(
                "SELECT intent FROM lead_messages WHERE message_id = ?", String.class, messageId)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE lead_id = ?", Integer.class, leadId))
                .isEqualTo(2);
    }

    @Test
    void redeliveredResultWritesOneRowAndUpdatesTheLeadOnce() {
        UUID leadId = createLead();
        UUID sourceEventId = UUID.randomUUID();
        Instant first = now();
        publisher.send(RESULTS, leadId.toString(),
                TestResults.result(sourceEventId, tenant, leadId, null, "purchase", 0.9, first));
        // the same source event enriched again later (a redelivery upstream): a second result event
        publisher.send(RESULTS, leadId.toString(),
                TestResults.result(sourceEventId, tenant, leadId, null, "complaint", 0.7, first.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(20)).until(this::caughtUp);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE source_event_id = ?", Integer.class,
                sourceEventId)).isEqualTo(1);
        Map<String, Object> lead = jdbc.queryForMap("SELECT intent, enriched_at FROM leads WHERE lead_id = ?", leadId);
        assertThat(lead.get("intent")).isEqualTo("purchase");
        assertThat(((java.sql.Timestamp) lead.get("enriched_at")).toInstant()).isEqualTo(first);
    }

    @Test
    void oneBatchWithARepeatedEventAndTwoResultsOfALeadStoresTheFirstAndShowsTheNewest() throws Exception {
        UUID leadId = createLead();
        UUID messageId = UUID.fromString(api().postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + tenant,
                "{\"message_text\": \"Can you deliver Friday?\"}").json().get("message_id").asText());
        UUID repeated = UUID.randomUUID();
        Instant older = now();
        Instant newer = older.plusSeconds(5);
        camel.getRouteController().stopRoute("store-ai-results");
        try {
            // all in one partition (one key), so the writer reads them in one batch, in this order
            publisher.send(RESULTS, leadId.toString(),
                    TestResults.result(repeated, tenant, leadId, null, "purchase", 0.9, newer));
            publisher.send(RESULTS, leadId.toString(),
                    TestResults.result(repeated, tenant, leadId, null, "complaint", 0.7, newer.plusSeconds(1)));
            publisher.send(RESULTS, leadId.toString(),
                    TestResults.result(UUID.randomUUID(), tenant, leadId, null, "pricing", 0.6, older));
            publisher.send(RESULTS, leadId.toString(),
                    TestResults.result(UUID.randomUUID(), tenant, leadId, messageId, "booking", 0.8, older));
            publisher.send(RESULTS, leadId.toString(),
                    TestResults.result(UUID.randomUUID(), tenant, leadId, messageId, "support", 0.8, newer));
        } finally {
            camel.getRouteController().startRoute("store-ai-results");
        }
        await().atMost(Duration.ofSeconds(20)).until(this::caughtUp);

        assertThat(jdbc.queryForObject("SELECT intent FROM ai_results WHERE source_event_id = ?", String.class,
                repeated)).isEqualTo("purchase");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE lead_id = ?", Integer.class, leadId))
                .isEqualTo(4);
        Map<String, Object> lead = jdbc.queryForMap("SELECT intent, enriched_at FROM leads WHERE lead_id = ?", leadId);
        assertThat(lead.get("intent")).isEqualTo("purchase");
        assertThat(((java.sql.Timestamp) lead.get("enriched_at")).toInstant()).isEqualTo(newer);
        assertThat(jdbc.queryForObject("SELECT intent FROM lead_messages WHERE message_id = ?", String.class,
                messageId)).isEqualTo("support");
    }

    @Test
    void replayingTheResultsChangesNoRow() {
        List<String[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UUID leadId = createLead();
            String result = TestResults.result(UUID.randomUUID(), tenant, leadId, null, "pricing", 0.5 + i / 100.0, now());
            sent.add(new String[] {leadId.toString(), result});
            publisher.send(RESULTS, leadId.toString(), result);
        }
        await().atMost(Duration.ofSeconds(20)).until(this::caughtUp);
        List<Map<String, Object>> resultsBefore = snapshot("SELECT source_event_id, result_event_id, xmin::text AS version "
                + "FROM ai_results WHERE tenant_id = ? ORDER BY source_event_id");
        List<Map<String, Object>> leadsBefore = snapshot("SELECT lead_id, status, intent, enriched_at, updated_at, "
                + "xmin::text AS version FROM leads WHERE tenant_id = ? ORDER BY lead_id");
        assertThat(resultsBefore).hasSize(20);
        assertThat(leadsBefore).allMatch(l -> "enriched".equals(l.get("status")));

        sent.forEach(record -> publisher.send(RESULTS, record[0], record[1]));
        await().atMost(Duration.ofSeconds(20)).until(this::caughtUp);

        assertThat(snapshot("SELECT source_event_id, result_event_id, xmin::text AS version FROM ai_results "
                + "WHERE tenant_id = ? ORDER BY source_event_id")).isEqualTo(resultsBefore);
        assertThat(snapshot("SELECT lead_id, status, intent, enriched_at, updated_at, xmin::text AS version "
                + "FROM leads WHERE tenant_id = ? ORDER BY lead_id")).isEqualTo(leadsBefore);
    }

    @Test
    void invalidResultsAreDeadLetteredAndTheValidOnesStored() {
        UUID leadId = createLead();
        // not the lead's id: the enricher may dead-letter the lead's own event under that key
        String key = "invalid-results-" + UUID.randomUUID();
        publisher.send(RESULTS, key, "this is not JSON");
        publisher.send(RESULTS, key, "{\"event_id\": \"" + UUID.randomUUID() + "\", \"tenant_id\": \"" + tenant + "\"}");
        publisher.send(RESULTS, key, TestResults.result(UUID.randomUUID(), tenant, leadId, null, "support", 0.6, now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> "support".equals(
                jdbc.queryForObject("SELECT intent FROM leads WHERE lead_id = ?", String.class, leadId)));
        List<ConsumerRecord<String, String>> letters = kafka().read("ai.error", r -> key.equals(r.key()),
                found -> found.size() >= 2, Duration.ofSeconds(20), Duration.ofSeconds(1));
        assertThat(letters).hasSize(2);
        assertThat(letters).extracting(ConsumerRecord::value).contains("this is not JSON");
        for (ConsumerRecord<String, String> letter : letters) {
            assertThat(header(letter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(RESULTS);
            assertThat(header(letter, DeadLetters.EXCEPTION_FQCN)).isEqualTo(InvalidEventException.class.getName());
            assertThat(header(letter, DeadLetters.ORIGINAL_CONSUMER_GROUP)).isEqualTo(writerGroup);
            assertThat(header(letter, DeadLetters.ROUTE_ID)).isEqualTo("store-ai-results");
            assertThat(header(letter, DeadLetters.ATTEMPTS)).isEqualTo("1");
            // Spring Kafka's encoding: partition a 4-byte int, offset an 8-byte long
            assertThat(letter.headers().lastHeader(DeadLetters.ORIGINAL_PARTITION).value()).hasSize(4);
            assertThat(ByteBuffer.wrap(letter.headers().lastHeader(DeadLetters.ORIGINAL_OFFSET).value()).getLong())
                    .isGreaterThanOrEqualTo(0);
        }
        ConsumerRecord<String, String> schemaInvalid = letters.stream()
                .filter(l -> !l.value().equals("this is not JSON")).findFirst().orElseThrow();
        assertThat(header(schemaInvalid, DeadLetters.EXCEPTION_MESSAGE)).contains("source_event_id");
        assertThat(header(schemaInvalid, DeadLetters.TENANT_ID)).isEqualTo(tenant);
    }

    /** True once the writer group has committed everything on the results topic: all sent is stored. */
    private boolean caughtUp() {
        return kafka().lag(writerGroup, RESULTS) == 0;
    }

    private List<Map<String, Object>> snapshot(String sql) {
        return jdbc.queryForList(sql, tenant);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
