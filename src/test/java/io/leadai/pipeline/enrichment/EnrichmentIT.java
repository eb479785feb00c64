package io.leadai.pipeline.enrichment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadai.pipeline.kafka.DeadLetters;
import io.leadai.pipeline.kafka.InvalidEventException;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestResults;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** Lead events through the enrichment routes, with WireMock as both AI services. */
class EnrichmentIT extends PipelineIntegrationTest {

    private static final String PURCHASE = "{\"intent\": \"purchase\", \"confidence\": 0.93}";
    private static final String LAPTOPS = "{\"entities\": [{\"type\": \"quantity\", \"value\": \"2\"}, "
            + "{\"type\": \"product\", \"value\": \"laptop\"}]}";

    @Value("${app.kafka.groups.enricher}")
    String enricherGroup;

    private final WireMockServer ai = TestInfrastructure.aiServices();
    private final List<StubMapping> stubs = new ArrayList<>();
    private String tenant;
    private String marker;

    @BeforeEach
    void newRun() {
        tenant = "en-" + UUID.randomUUID().toString().substring(0, 8);
        marker = "run " + UUID.randomUUID();
    }

    @AfterEach
    void removeStubs() {
        stubs.forEach(ai::removeStub);
    }

    private void stub(MappingBuilder mapping) {
        stubs.add(ai.stubFor(mapping));
    }

    /** Both services answer well for texts of this run. */
    private void servicesAnswer() {
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).willReturn(okJson(PURCHASE)));
        stub(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker))).willReturn(okJson(LAPTOPS)));
    }

    private String createLead(String text) {
        ApiClient.Response created = api().postJson("/api/v1/leads", """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s"}""".formatted(tenant, text));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("lead_id").asText();
    }

    private JsonNode lead(String leadId) {
        return api().get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant).json();
    }

    private List<ConsumerRecord<String, String>> deadLetters(Set<String> keys, int expected) {
        return kafka().read("ai.error", r -> keys.contains(r.key()), found -> found.size() >= expected,
                Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    /** Dead letters of records whose processing is over: any there would be already. */
    private List<ConsumerRecord<String, String>> deadLettersNow(Set<String> keys) {
        return kafka().read("ai.error", r -> keys.contains(r.key()), found -> false,
                Duration.ofSeconds(3), Duration.ZERO);
    }

    @Test
    void createdLeadShowsTheIntentAndEntitiesTheServicesAnswered() {
        servicesAnswer();
        String leadId = createLead("I want to buy 2 laptops (" + marker + ")");

        await().atMost(Duration.ofSeconds(20)).until(() -> lead(leadId).get("status").asText().equals("enriched"));
        JsonNode enrichment = lead(leadId).get("enrichment");
        assertThat(enrichment.get("intent").asText()).isEqualTo("purchase");
        assertThat(enrichment.get("confidence").asDouble()).isEqualTo(0.93);
        assertThat(enrichment.get("entities").toString())
                .isEqualTo("[{\"type\":\"quantity\",\"value\":\"2\"},{\"type\":\"product\",\"value\":\"laptop\"}]");
        assertThat(enrichment.get("enriched_at").isNull()).isFalse();

        // the request mapping of the route file: text and tenant to the intent service, text to the entity service
        ai.verify(1, postRequestedFor(urlEqualTo("/intent"))
                .withRequestBody(matchingJsonPath("$.tenant_id", containing(tenant))));
        ai.verify(1, postRequestedFor(urlEqualTo("/entities"))
                .withRequestBody(matchingJsonPath("$.text", containing(marker))));

        List<ConsumerRecord<String, String>> results = kafka().read("ai.process.result", r -> leadId.equals(r.key()),
                found -> !found.isEmpty(), Duration.ofSeconds(10), Duration.ZERO);
        JsonNode result = ApiClient.json(results.get(0).value());
        assertThat(result.get("source_topic").asText()).isEqualTo("lead.created");
        assertThat(result.get("lead_id").asText()).isEqualTo(leadId);
        assertThat(result.get("intent").get("name").asText()).isEqualTo("purchase");
        assertThat(result.get("processing_ms").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void intentFailingTwiceThenAnsweringIsEnrichedWithoutDeadLetter() {
        stub(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker))).willReturn(okJson(LAPTOPS)));
        String scenario = "flaky " + marker;
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(500))
                .willSetStateTo("failed once"));
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).inScenario(scenario)
                .whenScenarioStateIs("failed once").willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).inScenario(scenario)
                .whenScenarioStateIs("recovered").willReturn(okJson(PURCHASE)));
        String leadId = createLead("Price for 2 laptops? " + marker);

        await().atMost(Duration.ofSeconds(20)).until(() -> lead(leadId).get("status").asText().equals("enriched"));
        ai.verify(3, postRequestedFor(urlEqualTo("/intent")).withRequestBody(matchingJsonPath("$.text", containing(marker))));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE lead_id = ?::uuid", Integer.class, leadId))
                .isEqualTo(1);
        assertThat(deadLettersNow(Set.of(leadId))).isEmpty();
    }

    @Test
    void intentAnswering400IsDeadLetteredAtOnceWithItsHeaders() {
        stub(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker))).willReturn(okJson(LAPTOPS)));
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(aResponse().withStatus(400).withBody("{\"detail\": \"text too odd\"}")));
        String leadId = createLead("Gibberish " + marker);

        List<ConsumerRecord<String, String>> letters = deadLetters(Set.of(leadId), 1);
        assertThat(letters).hasSize(1);
        ConsumerRecord<String, String> letter = letters.get(0);
        assertThat(header(letter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo("lead.created");
        assertThat(header(letter, DeadLetters.EXCEPTION_FQCN)).isEqualTo("org.apache.camel.http.base.HttpOperationFailedException");
        assertThat(header(letter, DeadLetters.EXCEPTION_MESSAGE)).contains("400");
        assertThat(header(letter, DeadLetters.ATTEMPTS)).isEqualTo("1");
        assertThat(header(letter, DeadLetters.ORIGINAL_CONSUMER_GROUP)).isEqualTo(enricherGroup);
        assertThat(header(letter, DeadLetters.ROUTE_ID)).isEqualTo("enrich-record");
        assertThat(header(letter, DeadLetters.LEAD_ID)).isEqualTo(leadId);
        assertThat(header(letter, DeadLetters.TENANT_ID)).isEqualTo(tenant);
        // the original bytes, unchanged
        assertThat(ApiClient.json(letter.value()).get("event_type").asText()).isEqualTo("lead.created");
        ai.verify(1, postRequestedFor(urlEqualTo("/intent")).withRequestBody(matchingJsonPath("$.text", containing(marker))));
        assertThat(lead(leadId).get("enrichment").isNull()).isTrue();
    }

    @Test
    void entityTimingOutIsRetriedThenDeadLetteredWithTheTimeout() {
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).willReturn(okJson(PURCHASE)));
        stub(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson(LAPTOPS).withFixedDelay(3_000)));
        String leadId = createLead("Slow one " + marker);

        List<ConsumerRecord<String, String>> letters = deadLetters(Set.of(leadId), 1);
        assertThat(letters).hasSize(1);
        assertThat(header(letters.get(0), DeadLetters.EXCEPTION_FQCN)).isEqualTo("java.net.SocketTimeoutException");
        assertThat(header(letters.get(0), DeadLetters.ATTEMPTS)).isEqualTo("5");
        ai.verify(5, postRequestedFor(urlEqualTo("/entities")).withRequestBody(matchingJsonPath("$.text", containing(marker))));
    }

    @Test
    void poisonAndInvalidRecordsAreDeadLetteredAndEveryValidOneEnriched() {
        servicesAnswer();
        List<String> valid = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            // on every partition: valid records, a poison one (not JSON) and a schema-invalid one, interleaved
            for (int partition = 0; partition < TestInfrastructure.PARTITIONS; partition++) {
                for (int i = 0; i < 4; i++) {
                    String key = keyOnPartition(partition);
                    if (i == 1) {
                        bad.add(key);
                        publisher.send("lead.created", key, "\u0000not JSON at all");
                    } else if (i == 2) {
                        bad.add(key);
                        publisher.send("lead.created", key, "{\"event_id\": \"" + UUID.randomUUID() + "\", \"tenant_id\": \""
                                + tenant + "\", \"text\": \"no lead_id, no initial_message\"}");
                    } else {
                        valid.add(key);
                        publisher.send("lead.created", key, """
                                {"event_id": "%s", "event_type": "lead.created", "occurred_at": "%s",
                                 "tenant_id": "%s", "business_id": "b-1", "lead_id": "%s",
                                 "initial_message": "Quote for 2 laptops %s"}"""
                                .formatted(key, Instant.now(), tenant, UUID.randomUUID(), marker));
                    }
                }
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM ai_results WHERE tenant_id = ?", Integer.class, tenant) == valid.size());
        assertThat(jdbc.queryForList("SELECT source_event_id::text FROM ai_results WHERE tenant_id = ?", String.class,
                tenant)).containsExactlyInAnyOrderElementsOf(valid);
        List<ConsumerRecord<String, String>> letters = deadLetters(Set.copyOf(bad), bad.size());
        assertThat(letters).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(bad);
        assertThat(letters).allMatch(l -> InvalidEventException.class.getName().equals(header(l, DeadLetters.EXCEPTION_FQCN)));
        assertThat(deadLettersNow(Set.copyOf(valid))).isEmpty();
    }

    @Test
    void sameEventDeliveredTwiceWritesOneResultAndUpdatesTheLeadOnce() {
        servicesAnswer();
        String leadId = createLead("Twice " + marker);
        await().atMost(Duration.ofSeconds(20)).until(() -> lead(leadId).get("status").asText().equals("enriched"));
        String enrichedAt = lead(leadId).get("enrichment").get("enriched_at").asText();
        ConsumerRecord<String, String> original = kafka().read("lead.created", r -> leadId.equals(r.key()),
                found -> !found.isEmpty(), Duration.ofSeconds(10), Duration.ZERO).get(0);

        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            publisher.send("lead.created", leadId, original.value());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> kafka().read("ai.process.result", r -> leadId.equals(r.key()),
                found -> found.size() >= 2, Duration.ofSeconds(2), Duration.ZERO).size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> kafka().lag(writerGroup(), "ai.process.result") == 0);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE lead_id = ?::uuid", Integer.class, leadId))
                .isEqualTo(1);
        assertThat(lead(leadId).get("enrichment").get("enriched_at").asText()).isEqualTo(enrichedAt);
    }

    @Test
    void aiOutageLongerThanTheRetryBudgetDeadLettersNothingAndEnrichesEverythingAfter() throws Exception {
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(aResponse().withStatus(503)));
        stub(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(aResponse().withStatus(503)));
        // all in one batch, as under real traffic: the circuits need 20 calls to judge within a record's retries
        camel.getRouteController().stopRoute("enrich-lead-events");
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            leads.add(createLead("Outage lead " + i + " " + marker));
        }
        camel.getRouteController().startRoute("enrich-lead-events");
        await().atMost(Duration.ofSeconds(20)).until(() -> aiServices.circuitBreaker("intent").getState() == CircuitBreaker.State.OPEN
                || aiServices.circuitBreaker("intent").getState() == CircuitBreaker.State.HALF_OPEN);

        // the services stay down well past the retry budget (4 redeliveries, about 3 s): nothing is given up on
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM ai_results WHERE tenant_id = ?", Integer.class, tenant) == 0);
        assertThat(deadLettersNow(Set.copyOf(leads))).isEmpty();

        removeStubs();
        stubs.clear();
        servicesAnswer();
        await().atMost(Duration.ofSeconds(45)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM leads WHERE tenant_id = ? AND status = 'enriched'", Integer.class, tenant) == 12);
        assertThat(deadLettersNow(Set.copyOf(leads))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE tenant_id = ?", Integer.class, tenant))
                .isEqualTo(12);
    }

    @Test
    void deadLetterReplayedAfterTheServiceIsFixedEndsEnrichedAndOnlyOnce() {
        stub(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker))).willReturn(okJson(LAPTOPS)));
        StubMapping broken = ai.stubFor(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(aResponse().withStatus(422)));
        stubs.add(broken);
        String leadId = createLead("Replay me " + marker);

        await().atMost(Duration.ofSeconds(20)).until(() -> lead(leadId).get("status").asText().equals("ai_failed"));
        JsonNode errors = api().get("/api/v1/ai-errors?tenant_id=" + tenant).json().get("items");
        assertThat(errors).hasSize(1);
        JsonNode error = errors.get(0);
        assertThat(error.get("lead_id").asText()).isEqualTo(leadId);
        assertThat(error.get("original_topic").asText()).isEqualTo("lead.created");
        assertThat(error.get("reason").asText()).contains("422");
        assertThat(error.get("attempts").asInt()).isEqualTo(1);
        assertThat(error.get("replayed_at").isNull()).isTrue();
        assertThat(api().get("/api/v1/ai-errors?tenant_id=other-" + tenant).json().get("items")).isEmpty();

        ai.removeStub(broken);
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).willReturn(okJson(PURCHASE)));
        String replay = "/api/v1/ai-errors/" + error.get("error_id").asText() + "/replay?tenant_id=" + tenant;
        ApiClient.Response accepted = api().post(replay, null, "");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        assertThat(accepted.json().get("topic").asText()).isEqualTo("lead.created");

        await().atMost(Duration.ofSeconds(20)).until(() -> lead(leadId).get("status").asText().equals("enriched"));
        assertThat(lead(leadId).get("enrichment").get("intent").asText()).isEqualTo("purchase");
        ApiClient.Response again = api().post(replay, null, "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asText()).isEqualTo("already replayed");
        assertThat(api().post("/api/v1/ai-errors/" + UUID.randomUUID() + "/replay?tenant_id=" + tenant, null, "").status())
                .isEqualTo(404);
        assertThat(api().post(replay.replace("tenant_id=" + tenant, "tenant_id=someone-else"), null, "").status())
                .isEqualTo(404);
    }

    @Test
    void oneLeadsEventsAreEnrichedInTheOrderTheyWerePublished() {
        // answers take a random 0-80 ms, so events worked on side by side would finish in any order
        stub(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson(PURCHASE).withUniformRandomDelay(0, 80)));
        stub(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson(LAPTOPS).withUniformRandomDelay(0, 80)));
        String leadId = UUID.randomUUID().toString();
        List<String> sent = new ArrayList<>();
        try (TestResults publisher = new TestResults(TestInfrastructure.kafkaBootstrapServers())) {
            for (int i = 0; i < 8; i++) {
                String eventId = UUID.randomUUID().toString();
                sent.add(eventId);
                publisher.sendAsync("ai.process.request", leadId, """
                        {"event_id": "%s", "event_type": "ai.process.request", "occurred_at": "%s", "tenant_id": "%s",
                         "business_id": "b-1", "lead_id": "%s", "text": "Message %d %s"}"""
                        .formatted(eventId, Instant.now(), tenant, leadId, i, marker));
            }
            publisher.flush();
        }
        List<ConsumerRecord<String, String>> results = kafka().read("ai.process.result", r -> leadId.equals(r.key()),
                found -> found.size() >= sent.size(), Duration.ofSeconds(30), Duration.ofMillis(500));
        assertThat(results).extracting(r -> ApiClient.json(r.value()).get("source_event_id").asText())
                .containsExactlyElementsOf(sent);
    }

    @Test
    void kafkaTestAnswersWithItsResultTheWayTheOriginalSystemDid() {
        servicesAnswer();
        ApiClient.Response answer = api().postJson("/kafka/test", "{\"text\": \"I want to buy 2 laptops " + marker + "\"}");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode result = answer.json();
        assertThat(result.get("intent").get("name").asText()).isEqualTo("purchase");
        assertThat(result.get("entities").toString()).contains("\"quantity\"", "\"laptop\"");
        assertThat(result.get("lead_id").isNull()).isTrue();
        assertThat(result.get("source_topic").asText()).isEqualTo("ai.process.request");
        String eventId = result.get("source_event_id").asText();
        assertThat(api().get("/kafka/test/" + eventId).json()).isEqualTo(result);
        // the result is its tenant's: asked for as another tenant, it is not there
        assertThat(api().get("/kafka/test/" + eventId + "?tenant_id=someone-else").status()).isEqualTo(404);
    }

    @Test
    void kafkaTestWithoutAResultInTimeAnswers202AndTheResultIsReadLater() {
        // no stub for this text: the services answer 404, the request is dead-lettered, no result ever comes
        ApiClient.Response answer = api().postJson("/kafka/test", "{\"text\": \"Nobody answers " + marker + "\"}");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
        String eventId = answer.json().get("event_id").asText();
        ApiClient.Response later = api().get("/kafka/test/" + eventId);
        assertThat(later.status()).isEqualTo(404);
        assertThat(later.json().get("details").get(0).get("field").asText()).isEqualTo("event_id");
    }

    @org.springframework.beans.factory.annotation.Autowired
    AiServices aiServices;

    @org.springframework.beans.factory.annotation.Autowired
    org.apache.camel.CamelContext camel;

    @Value("${app.kafka.groups.writer}")
    String writerGroup;

    private String writerGroup() {
        return writerGroup;
    }

    /** A fresh UUID key that Kafka's default partitioner puts on the given partition. */
    private static String keyOnPartition(int partition) {
        while (true) {
            String key = UUID.randomUUID().toString();
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            if (org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(bytes))
                    % TestInfrastructure.PARTITIONS == partition) {
                return key;
            }
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
