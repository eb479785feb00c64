package io.leadai.pipeline.enrichment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.testinfra.AiServiceStubs;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A third AI service added the way docs/integrators.md says: its route file and its properties are taken
 * from that page, the application loads them beside routes/, and the service's answer ends up in
 * ai.process.result and in the stored result.
 */
class AdditionalAiServiceIT extends PipelineIntegrationTest {

    private static final Path GUIDE = Path.of("docs/integrators.md");
    private static final String ROUTE_FILE = "enricher-ask-sentiment-service.camel.yaml";
    /** Topics and a database of its own: the other contexts' enrichers know no sentiment service. */
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void sentimentServiceFromTheGuide(DynamicPropertyRegistry registry) throws Exception {
        TestInfrastructure.ownPipeline(registry, "additional-ai-service", RUN);
        Path routes = Files.createTempDirectory("extra-routes");
        Files.writeString(routes.resolve(ROUTE_FILE), fencedBlock("yaml", "# routes/" + ROUTE_FILE));
        registry.add("camel.main.routes-include-pattern",
                () -> "classpath:routes/*.camel.yaml,file:" + routes.toAbsolutePath() + "/*.camel.yaml");

        Properties properties = new Properties();
        properties.load(new StringReader(fencedBlock("properties", "ai.sentiment.url")));
        assertThat(properties.stringPropertyNames()).containsExactlyInAnyOrder("ai.sentiment.url", "ai.sentiment.required");
        properties.forEach((key, value) -> registry.add((String) key, () -> value));
        // the guide's URL names the service's host; here WireMock plays it
        registry.add("ai.sentiment.url", () -> TestInfrastructure.aiServices().baseUrl() + "/sentiment");
    }

    /** The first fenced block of the guide in this language whose text starts with this line. */
    private static String fencedBlock(String language, String firstLine) {
        try {
            Matcher blocks = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL)
                    .matcher(Files.readString(GUIDE));
            while (blocks.find()) {
                if (blocks.group(1).startsWith(firstLine)) {
                    return blocks.group(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(GUIDE + " has no ```" + language + " block starting with " + firstLine);
    }

    private final AiServiceStubs ai = new AiServiceStubs();
    private final String tenant = "sent-" + UUID.randomUUID().toString().substring(0, 8);
    private final String marker = ai.marker();

    @BeforeEach
    void intentAndEntityAnswer() {
        ai.answer("{\"intent\": \"purchase\", \"confidence\": 0.93}",
                "{\"entities\": [{\"type\": \"product\", \"value\": \"laptop\"}]}");
    }

    @AfterEach
    void removeStubs() {
        ai.close();
    }

    private String createLead(String text) {
        ApiClient.Response created = api().postJson("/api/v1/leads", """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s"}""".formatted(tenant, text));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("lead_id").asText();
    }

    private JsonNode storedResult(String leadId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM ai_results WHERE lead_id = ?::uuid", Integer.class, leadId) == 1);
        return ApiClient.json(jdbc.queryForObject(
                "SELECT result::text FROM ai_results WHERE lead_id = ?::uuid", String.class, leadId));
    }

    @Test
    void sentimentAnswerAppearsInThePublishedAndTheStoredResult() {
        ai.stub(ai.request("/sentiment", marker).willReturn(okJson("{\"sentiment\": \"positive\", \"score\": 0.8}")));
        String leadId = createLead("Love your laptops, I want 2 (" + marker + ")");

        JsonNode stored = storedResult(leadId);
        assertThat(stored.get("sentiment").toString()).isEqualTo("{\"label\":\"positive\",\"score\":0.8}");
        assertThat(stored.get("intent").get("name").asText()).isEqualTo("purchase");

        List<ConsumerRecord<String, String>> published = kafka().read("ai.process.result." + RUN, r -> leadId.equals(r.key()),
                found -> !found.isEmpty(), Duration.ofSeconds(10), Duration.ZERO);
        assertThat(ApiClient.json(published.get(0).value()).get("sentiment").get("label").asText()).isEqualTo("positive");
    }

    @Test
    void optionalSentimentFailingLeavesItsPartOutAndDeadLettersNothing() {
        ai.stub(ai.request("/sentiment", marker).willReturn(aResponse().withStatus(500)));
        String leadId = createLead("Price for a laptop? " + marker);

        JsonNode stored = storedResult(leadId);
        assertThat(stored.has("sentiment")).isFalse();
        assertThat(stored.get("entities").get(0).get("value").asText()).isEqualTo("laptop");
        assertThat(api().get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant).json().get("status").asText())
                .isEqualTo("enriched");
        assertThat(kafka().read("ai.error." + RUN, r -> Set.of(leadId).contains(r.key()), found -> false,
                Duration.ofSeconds(3), Duration.ZERO)).isEmpty();
    }
}
