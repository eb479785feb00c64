package io.leadai.pipeline.enrichment;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.testinfra.AiServiceStubs;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * AI answers are untrusted: odd answers from WireMock AI services on the real pipeline. Each ends either as a
 * bounded enrichment, stored as data and answered as escaped JSON, or as a dead letter saying why; the well-behaved
 * leads created beside them are enriched as usual.
 */
class UntrustedAiAnswersIT extends PipelineIntegrationTest {

    private static final String PURCHASE = "{\"intent\": \"purchase\", \"confidence\": 0.93}";
    private static final String LAPTOPS = "{\"entities\": [{\"type\": \"product\", \"value\": \"laptop\"}]}";

    private final AiServiceStubs ai = new AiServiceStubs();
    private final String tenant = "untrusted-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void removeStubs() {
        ai.close();
    }

    /** One odd case: the text part its stubs answer for, and the two answers (raw JSON text). */
    private record Case(String name, String intent, String entities) {
        String tag() {
            return "#" + name.replace(' ', '-') + "#";
        }
    }

    private static String entities(int count, String value) {
        StringBuilder json = new StringBuilder("{\"entities\": [");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"type\": \"product\", \"value\": \"").append(value).append(i).append("\"}");
        }
        return json.append("]}").toString();
    }

    @Test
    void oddAnswersEndBoundedOrDeadLetteredAndTheirBatchNeighboursAreEnriched() {
        List<Case> bounded = List.of(
                new Case("many entities", PURCHASE, entities(5_000, "item ")),
                new Case("long value", PURCHASE, "{\"entities\": [{\"type\": \"note\", \"value\": \"" + "v".repeat(200_000) + "\"}]}"),
                new Case("long intent", "{\"intent\": \"" + "i".repeat(20_000) + "\", \"confidence\": 0.5}", LAPTOPS),
                new Case("script", "{\"intent\": \"<script>alert(1)</script>\", \"confidence\": 0.5}",
                        "{\"entities\": [{\"type\": \"<b>x</b>\", \"value\": \"<img src=x onerror=alert(1)>\"}]}"),
                new Case("object as value", PURCHASE,
                        "{\"entities\": [{\"type\": \"product\", \"value\": {\"a\": {\"b\": [1, 2]}}}]}"),
                // answered with response headers named like the route's own (see stub): they must not drop a part
                new Case("route headers", PURCHASE, LAPTOPS));
        Map<Case, String> unreadable = new LinkedHashMap<>();
        unreadable.put(new Case("confidence as text", "{\"intent\": \"purchase\", \"confidence\": \"0.93\"}", LAPTOPS), "confidence");
        unreadable.put(new Case("entities as object", PURCHASE,
                "{\"entities\": {\"a\": {\"type\": \"product\", \"value\": \"laptop\"}}}"), "entities must be an array");
        unreadable.put(new Case("entities null", PURCHASE, "{\"entities\": null}"), "entities must be an array");
        unreadable.put(new Case("intent as number", "{\"intent\": 42, \"confidence\": 0.5}", LAPTOPS), "name");
        unreadable.put(new Case("intent as object", "{\"intent\": {\"label\": \"purchase\"}, \"confidence\": 0.5}", LAPTOPS), "name");
        unreadable.put(new Case("nulls", "{\"intent\": null, \"confidence\": null}", LAPTOPS), "intent");
        unreadable.put(new Case("NaN", "{\"intent\": \"purchase\", \"confidence\": NaN}", LAPTOPS), "NaN");
        unreadable.put(new Case("infinity", "{\"intent\": \"purchase\", \"confidence\": 1e999}", LAPTOPS), "not finite");
        unreadable.put(new Case("deep nesting", PURCHASE, "{\"entities\": [{\"type\": \"x\", \"value\": \"y\", \"extra\": "
                + "[".repeat(3_000) + "]".repeat(3_000) + "}]}"), "depth");
        unreadable.put(new Case("NUL in value", PURCHASE,
                "{\"entities\": [{\"type\": \"product\", \"value\": \"lap\\u0000top\"}]}"), "NUL");

        Map<Case, String> leads = new LinkedHashMap<>();
        List<String> neighbours = new ArrayList<>();
        // every text has the marker; WireMock tries the stubs added last first, so the odd cases' stubs come after
        ai.answer(PURCHASE, LAPTOPS);
        for (Case c : bounded) {
            stub(c);
        }
        unreadable.keySet().forEach(this::stub);
        // created together, so that odd and well-behaved records share the enricher's batches
        for (Case c : bounded) {
            leads.put(c, api().createLead(tenant, "Lead " + c.tag() + " " + ai.marker()));
            neighbours.add(api().createLead(tenant, "Neighbour of " + c.name() + " " + ai.marker()));
        }
        for (Case c : unreadable.keySet()) {
            leads.put(c, api().createLead(tenant, "Lead " + c.tag() + " " + ai.marker()));
            neighbours.add(api().createLead(tenant, "Neighbour of " + c.name() + " " + ai.marker()));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> leads.values().stream().allMatch(id ->
                List.of("enriched", "ai_failed").contains(api().leadStatus(tenant, id))));

        for (Case c : bounded) {
            assertThat(api().leadStatus(tenant, leads.get(c))).as(c.name()).isEqualTo("enriched");
        }
        unreadable.forEach((c, reason) -> {
            String leadId = leads.get(c);
            assertThat(api().leadStatus(tenant, leadId)).as(c.name()).isEqualTo("ai_failed");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_results WHERE lead_id = ?::uuid", Integer.class,
                    UUID.fromString(leadId))).as(c.name()).isZero();
            Map<String, Object> error = jdbc.queryForMap("SELECT reason, attempts FROM ai_errors WHERE lead_id = ?::uuid",
                    UUID.fromString(leadId));
            assertThat((String) error.get("reason")).as(c.name()).containsIgnoringCase(reason);
            // an unreadable answer is permanent: dead-lettered at the first attempt
            assertThat(error.get("attempts")).as(c.name()).isEqualTo(1);
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> neighbours.stream()
                .allMatch(id -> api().leadStatus(tenant, id).equals("enriched")));
        for (String neighbour : neighbours) {
            JsonNode enrichment = lead(neighbour).json().get("enrichment");
            assertThat(enrichment.get("intent").asText()).isEqualTo("purchase");
            assertThat(enrichment.get("entities").toString()).isEqualTo("[{\"type\":\"product\",\"value\":\"laptop\"}]");
        }

        assertBounded(leads, bounded);
    }

    private void assertBounded(Map<Case, String> leads, List<Case> bounded) {
        JsonNode many = enrichment(leads.get(bounded.get(0)));
        assertThat(many.get("entities")).hasSize(100);
        assertThat(many.get("entities").get(99).get("value").asText()).isEqualTo("item 99");
        assertThat(truncated(leads.get(bounded.get(0)))).containsExactly("entities");

        JsonNode longValue = enrichment(leads.get(bounded.get(1)));
        assertThat(longValue.get("entities").get(0).get("value").asText()).isEqualTo("v".repeat(1000));
        assertThat(truncated(leads.get(bounded.get(1)))).containsExactly("entities[0].value");

        assertThat(enrichment(leads.get(bounded.get(2))).get("intent").asText()).isEqualTo("i".repeat(1000));
        assertThat(truncated(leads.get(bounded.get(2)))).containsExactly("intent.name");

        // markup is stored as the service sent it, and answered as JSON string data, escaped
        ApiClient.Response script = lead(leads.get(bounded.get(3)));
        assertThat(script.header("Content-Type")).startsWith("application/json");
        assertThat(script.body()).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>")
                .contains("\\u003Cscript\\u003E");
        JsonNode enrichment = script.json().get("enrichment");
        assertThat(enrichment.get("intent").asText()).isEqualTo("<script>alert(1)</script>");
        assertThat(enrichment.get("entities").get(0).get("value").asText()).isEqualTo("<img src=x onerror=alert(1)>");
        assertThat(jdbc.queryForObject("SELECT intent FROM leads WHERE lead_id = ?::uuid", String.class,
                UUID.fromString(leads.get(bounded.get(3))))).isEqualTo("<script>alert(1)</script>");
        ApiClient.Response list = api().get("/api/v1/leads?tenant_id=" + tenant + "&limit=100");
        assertThat(list.header("Content-Type")).startsWith("application/json");
        assertThat(list.body()).doesNotContain("<script").doesNotContain("<img");

        // a value that is an object is kept as its JSON text, a string like any other value
        assertThat(enrichment(leads.get(bounded.get(4))).get("entities").get(0).get("value").asText())
                .isEqualTo("{\"a\":{\"b\":[1,2]}}");
        assertThat(truncated(leads.get(bounded.get(4)))).isEmpty();

        JsonNode headers = enrichment(leads.get(bounded.get(5)));
        assertThat(headers.get("intent").asText()).isEqualTo("purchase");
        assertThat(headers.get("entities").toString()).isEqualTo("[{\"type\":\"product\",\"value\":\"laptop\"}]");
        assertThat(truncated(leads.get(bounded.get(5)))).isEmpty();
    }

    private void stub(Case c) {
        if (c.name().equals("route headers")) {
            ai.stub(ai.request("/intent", c.tag()).willReturn(okJsonOrRaw(c.intent())
                    .withHeader("ai_skipped", "intent").withHeader("ai_part", "entities")));
            ai.stub(ai.request("/entities", c.tag()).willReturn(okJsonOrRaw(c.entities()).withHeader("ai_truncated", "x")));
            return;
        }
        ai.stub(ai.request("/intent", c.tag()).willReturn(okJsonOrRaw(c.intent())));
        ai.stub(ai.request("/entities", c.tag()).willReturn(okJsonOrRaw(c.entities())));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJsonOrRaw(String body) {
        // NaN and 1e999 are not JSON WireMock would send through okJson's parsing: send the bytes as they are
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private ApiClient.Response lead(String leadId) {
        return api().get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant);
    }

    private JsonNode enrichment(String leadId) {
        return lead(leadId).json().get("enrichment");
    }

    private List<String> truncated(String leadId) {
        String result = jdbc.queryForObject("SELECT result::text FROM ai_results WHERE lead_id = ?::uuid", String.class,
                UUID.fromString(leadId));
        JsonNode cuts = ApiClient.json(result).path("truncated");
        List<String> paths = new ArrayList<>();
        cuts.forEach(p -> paths.add(p.asText()));
        return paths;
    }
}
