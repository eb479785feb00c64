package io.leadai.pipeline.referenceai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference services over real HTTP: the contract's answers, and a 4xx (never a 5xx) for bad input. */
class ReferenceAiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ReferenceAiServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        IntentClassifier intents;
        try (InputStream training = ReferenceAiServerTest.class.getResourceAsStream("/referenceai/intents-train.tsv")) {
            intents = IntentClassifier.train(training, ReferenceAiConfig.MINIMUM_CONFIDENCE);
        }
        server = new ReferenceAiServer("127.0.0.1", 0, intents, EntityExtractor.load(), JSON, 2);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOriginalSystemsExampleIsAPurchaseOfTwoLaptops() throws Exception {
        JsonNode intent = JSON.readTree(post("/intent", "application/json",
                "{\"text\": \"I want to buy 2 laptops\", \"tenant_id\": \"acme\"}").body());
        assertThat(intent.get("intent").asText()).isEqualTo("purchase");
        assertThat(intent.get("confidence").asDouble()).isBetween(0.3, 1.0);

        JsonNode entities = JSON.readTree(post("/entities", "application/json", "{\"text\": \"I want to buy 2 laptops\"}").body())
                .get("entities");
        assertThat(entities).hasSize(2);
        assertThat(entities.get(0).get("type").asText()).isEqualTo("quantity");
        assertThat(entities.get(0).get("value").asText()).isEqualTo("2");
        assertThat(entities.get(1).get("type").asText()).isEqualTo("product");
        assertThat(entities.get(1).get("value").asText()).isEqualTo("laptop");
    }

    @Test
    void aQuoteRequestNamesItsPeoplePlacesAndGoods() throws Exception {
        JsonNode entities = JSON.readTree(post("/entities", "application/json", """
                {"text": "Hi, I am Grace Hopper. Can I get a quote for 40 standing desks delivered to Chicago?"}""").body())
                .get("entities");
        java.util.List<String> found = new java.util.ArrayList<>();
        entities.forEach(e -> found.add(e.get("type").asText() + "=" + e.get("value").asText()));
        assertThat(found).containsExactly("person=Grace Hopper", "quantity=40", "product=desk", "location=Chicago");
    }

    @Test
    void badInputGetsA4xxWithTheFieldNamed() throws Exception {
        HttpResponse<String> empty = post("/intent", "application/json", "{\"text\": \"\"}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("details").get(0).get("field").asText()).isEqualTo("text");

        assertThat(post("/entities", "application/json", "{\"text\": \"" + "a".repeat(100 * 1024) + "\"}").statusCode())
                .isEqualTo(413);
        assertThat(post("/entities", "application/json", "{\"text\": \"" + "a ".repeat(6_000) + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(post("/intent", "application/json", "{not json").statusCode()).isEqualTo(400);
        assertThat(post("/intent", "application/json", "{\"text\": 42}").statusCode()).isEqualTo(400);
        assertThat(post("/intent", "text/plain", "I want to buy 2 laptops").statusCode()).isEqualTo(415);
    }

    @Test
    void textItCannotReadIsALowConfidenceOther() throws Exception {
        for (String text : new String[] {"🙂🙂🙂 🎉", "Ich möchte gerne zwei Laptops kaufen, bitte.", "这是什么", "zzzz qqqq"}) {
            HttpResponse<String> answer = post("/intent", "application/json",
                    JSON.writeValueAsString(java.util.Map.of("text", text)));
            assertThat(answer.statusCode()).as(text).isEqualTo(200);
            JsonNode intent = JSON.readTree(answer.body());
            assertThat(intent.get("intent").asText()).as(text).isEqualTo("other");
            assertThat(intent.get("confidence").asDouble()).as(text).isLessThan(0.5);
            assertThat(post("/entities", "application/json", JSON.writeValueAsString(java.util.Map.of("text", text)))
                    .statusCode()).as(text).isEqualTo(200);
        }
    }
}
