package io.leadai.pipeline.referenceai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The whole pipeline with the reference AI services, as the local run starts it: the original system's
 * {@code POST /kafka/test} example, and a lead enriched end to end. Topics of its own, so it reads only its events.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ReferenceAiPipelineIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final int AI_PORT = TestInfrastructure.freePort();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void pipelineWithReferenceServices(DynamicPropertyRegistry registry) throws Exception {
        TestInfrastructure.ownPipeline(registry, "reference-ai", RUN);
        TestCredentials.registerIn(registry);
        registry.add("referenceai.enabled", () -> true);
        registry.add("referenceai.port", () -> AI_PORT);
        registry.add("ai.intent.url", () -> "http://localhost:" + AI_PORT + "/intent");
        registry.add("ai.entity.url", () -> "http://localhost:" + AI_PORT + "/entities");
    }

    @Test
    void kafkaTestAnswersThatTwoLaptopsAreAPurchase() {
        ApiClient api = new ApiClient(port);
        ApiClient.Response answer = api.postJson("/kafka/test", "{\"text\":\"I want to buy 2 laptops\"}");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode result = answer.json();
        assertThat(result.get("intent").get("name").asText()).isEqualTo("purchase");
        List<String> entities = new java.util.ArrayList<>();
        result.get("entities").forEach(e -> entities.add(e.get("type").asText() + "=" + e.get("value").asText()));
        assertThat(entities).containsExactly("quantity=2", "product=laptop");
    }

    @Test
    void aCreatedLeadShowsItsEnrichmentWithinSeconds() {
        ApiClient api = new ApiClient(port);
        String leadId = api.postJson("/api/v1/leads", """
                {"tenant_id": "acme", "business_id": "shop-1",
                 "initial_message": "I want to buy 3 office chairs for our team in Berlin. Regards, Ada Lovelace"}""")
                .json().get("lead_id").asText();

        await().atMost(Duration.ofSeconds(15)).until(() ->
                api.get("/api/v1/leads/" + leadId + "?tenant_id=acme").json().get("status").asText().equals("enriched"));
        JsonNode enrichment = api.get("/api/v1/leads/" + leadId + "?tenant_id=acme").json().get("enrichment");
        assertThat(enrichment.get("intent").asText()).isEqualTo("purchase");
        List<String> entities = new java.util.ArrayList<>();
        enrichment.get("entities").forEach(e -> entities.add(e.get("type").asText() + "=" + e.get("value").asText()));
        assertThat(entities).containsExactly("quantity=3", "product=office chair", "location=Berlin",
                "person=Ada Lovelace");
    }
}
