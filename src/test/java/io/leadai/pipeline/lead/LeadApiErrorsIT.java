package io.leadai.pipeline.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.api.JsonRequests;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refused request: its status, a JSON body naming the field, and nothing written. */
class LeadApiErrorsIT extends PipelineIntegrationTest {

    private String tenant;

    @BeforeEach
    void newTenant() {
        tenant = "err-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String validLead(String extraField) {
        return """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "Need a quote"%s}
                """.formatted(tenant, extraField);
    }

    private void assertNothingWritten() {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE tenant_id = ?", Integer.class, tenant)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, tenant)).isZero();
    }

    private static JsonNode problemFor(ApiClient.Response response, String field) {
        for (JsonNode detail : response.json().get("details")) {
            if (detail.get("field").asText().equals(field)) {
                return detail;
            }
        }
        throw new AssertionError("no problem reported for " + field + " in " + response.body());
    }

    @Test
    void malformedJsonIs400() {
        ApiClient.Response response = api().postJson("/api/v1/leads", "{\"tenant_id\": \"" + tenant + "\", ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("malformed JSON");
        assertThat(problemFor(response, "body").get("problem").asText()).contains("line 1");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
        assertNothingWritten();
    }

    @Test
    void missingRequiredFieldsAreEachNamed() {
        ApiClient.Response response = api().postJson("/api/v1/leads", "{\"tenant_id\": \"" + tenant + "\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("invalid request body");
        assertThat(problemFor(response, "business_id").get("problem").asText()).isEqualTo("is required");
        assertThat(problemFor(response, "initial_message").get("problem").asText()).isEqualTo("is required");
        assertNothingWritten();
    }

    @Test
    void wrongTypeIsNamed() {
        ApiClient.Response response = api().postJson("/api/v1/leads",
                "{\"tenant_id\": \"" + tenant + "\", \"business_id\": 42, \"initial_message\": [\"hi\"]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(problemFor(response, "business_id").get("problem").asText()).isEqualTo("must be of type string");
        assertThat(problemFor(response, "initial_message").get("problem").asText()).isEqualTo("must be of type string");
        assertNothingWritten();
    }

    /** Every field the server owns, sent in each request body the API takes. */
    static Stream<Arguments> serverOwnedFields() {
        return JsonRequests.SERVER_OWNED.stream().sorted().flatMap(field -> Stream.of(
                Arguments.of("lead", field), Arguments.of("message", field), Arguments.of("kafka-test", field)));
    }

    @ParameterizedTest(name = "{1} in a {0} body")
    @MethodSource("serverOwnedFields")
    void serverOwnedFieldIsRefusedNotApplied(String body, String field) {
        String leadId = body.equals("message")
                ? api().postJson("/api/v1/leads", validLead("")).json().get("lead_id").asText()
                : null;
        Integer outboxBefore = jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, tenant);
        String value = ", \"" + field + "\": \"" + (field.endsWith("_id") ? UUID.randomUUID() : "enriched") + "\"";
        ApiClient.Response response = switch (body) {
            case "lead" -> api().postJson("/api/v1/leads", validLead(value));
            case "message" -> api().postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + tenant,
                    "{\"message_text\": \"hello\"" + value + "}");
            default -> api().postJson("/kafka/test?tenant_id=" + tenant, "{\"text\": \"hello\"" + value + "}");
        };
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(problemFor(response, field).get("problem").asText()).isEqualTo("is set by the server and cannot be sent");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, tenant))
                .isEqualTo(outboxBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_messages WHERE tenant_id = ?", Integer.class, tenant))
                .isZero();
        if (leadId != null) {
            // the lead the message was for got none of it (no AI service answers this lead here)
            java.util.Map<String, Object> lead = jdbc.queryForMap(
                    "SELECT status, intent FROM leads WHERE lead_id = ?::uuid", leadId);
            assertThat(lead.get("status")).isNotEqualTo("enriched");
            assertThat(lead.get("intent")).isNull();
        } else {
            assertNothingWritten();
        }
    }

    @Test
    void unknownFieldIsRefused() {
        ApiClient.Response response = api().postJson("/api/v1/leads", validLead(", \"colour\": \"blue\""));
        assertThat(response.status()).isEqualTo(400);
        assertThat(problemFor(response, "colour").get("problem").asText()).isEqualTo("is not a known field");
        assertNothingWritten();
    }

    @Test
    void invalidOptionalFieldsAreNamed() {
        ApiClient.Response response = api().postJson("/api/v1/leads",
                validLead(", \"email\": \"not-an-email\", \"phone\": \"call me maybe\""));
        assertThat(response.status()).isEqualTo(400);
        assertThat(problemFor(response, "email").get("problem").asText()).contains("email");
        assertThat(problemFor(response, "phone").get("problem").asText()).contains("phone number");
        assertNothingWritten();
    }

    private String leadWithMessage(String message) {
        return "{\"tenant_id\": \"" + tenant + "\", \"business_id\": \"b-1\", \"initial_message\": \"" + message + "\"}";
    }

    @Test
    void messageOverTenThousandCharactersIs400() {
        ApiClient.Response response = api().postJson("/api/v1/leads", leadWithMessage("x".repeat(10_001)));
        assertThat(response.status()).isEqualTo(400);
        assertThat(problemFor(response, "initial_message").get("problem").asText())
                .isEqualTo("must be at most 10000 characters");
        assertNothingWritten();
    }

    @Test
    void bodyOver64KiBIs413() {
        ApiClient.Response response = api().postJson("/api/v1/leads", leadWithMessage("x".repeat(70_000)));
        assertThat(response.status()).isEqualTo(413);
        assertThat(problemFor(response, "body").get("problem").asText()).isEqualTo("must be at most 65536 bytes");
        assertNothingWritten();
    }

    @Test
    void chunkedBodyOver64KiBIs413() {
        byte[] body = leadWithMessage("y".repeat(70_000)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // a publisher of unknown length makes the client send the body chunked, without Content-Length
        HttpRequest.BodyPublisher chunked = new HttpRequest.BodyPublisher() {
            private final HttpRequest.BodyPublisher inner = HttpRequest.BodyPublishers.ofByteArray(body);

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                inner.subscribe(subscriber);
            }
        };
        ApiClient.Response response = api().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/leads"))
                .header("Content-Type", "application/json").POST(chunked));
        assertThat(response.status()).isEqualTo(413);
        assertNothingWritten();
    }

    @Test
    void wrongContentTypeIs415() {
        ApiClient.Response response = api().post("/api/v1/leads", "text/plain", validLead(""));
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json().get("error").asText()).isEqualTo("unsupported media type");
        assertThat(problemFor(response, "Content-Type").get("problem").asText()).contains("application/json");
        assertNothingWritten();
    }

    @Test
    void unknownLeadIs404ForEveryOperation() {
        String unknown = "/api/v1/leads/" + UUID.randomUUID();
        for (ApiClient.Response response : List.of(
                api().get(unknown + "?tenant_id=" + tenant),
                api().postJson(unknown + "/messages?tenant_id=" + tenant, "{\"message_text\": \"hello\"}"),
                api().post(unknown + "/reprocess?tenant_id=" + tenant, null, ""))) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.json().get("error").asText()).isEqualTo("lead not found");
            assertThat(problemFor(response, "lead_id")).isNotNull();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_messages WHERE tenant_id = ?", Integer.class, tenant)).isZero();
        assertNothingWritten();
    }

    @Test
    void badQueryParametersAre400() {
        assertThat(problemFor(api().get("/api/v1/leads?tenant_id=" + tenant + "&limit=1000"), "limit")).isNotNull();
        assertThat(problemFor(api().get("/api/v1/leads?tenant_id=" + tenant + "&status=won"), "status")).isNotNull();
        assertThat(problemFor(api().get("/api/v1/leads?tenant_id=" + tenant + "&after=garbage"), "after")).isNotNull();
        assertThat(problemFor(api().get("/api/v1/leads/not-a-uuid?tenant_id=" + tenant), "lead_id")).isNotNull();
        assertThat(api().get("/api/v1/leads?tenant_id=" + tenant + "&limit=0").status()).isEqualTo(400);
    }

    @Test
    void badMessageBodyWritesNoMessage() {
        String leadId = api().postJson("/api/v1/leads", validLead("")).json().get("lead_id").asText();
        Integer outboxBefore = jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, tenant);

        ApiClient.Response response = api().postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + tenant,
                "{\"message_text\": \"   \", \"status\": \"enriched\"}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(problemFor(response, "message_text").get("problem").asText()).isEqualTo("must not be blank");
        assertThat(problemFor(response, "status").get("problem").asText()).isEqualTo("is set by the server and cannot be sent");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_messages WHERE lead_id = ?::uuid", Integer.class, leadId)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, tenant)).isEqualTo(outboxBefore);
        // the status the body tried to set was not applied (no AI service answers for this lead here)
        assertThat(jdbc.queryForObject("SELECT status FROM leads WHERE lead_id = ?::uuid", String.class, leadId))
                .isNotEqualTo("enriched");
    }

    @Test
    void unknownPathAndWrongMethodAnswerInTheSameShape() {
        ApiClient.Response unknown = api().get("/api/v1/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("not found");
        assertThat(unknown.json().get("details").get(0).get("field").asText()).isEqualTo("path");

        ApiClient.Response wrongMethod = api().send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/kafka/health")).DELETE());
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("error").asText()).isEqualTo("method not allowed");
        assertThat(problemFor(wrongMethod, "method").get("problem").asText()).isEqualTo("must be one of GET");
    }

    @Test
    void kafkaTestNeedsText() {
        ApiClient.Response response = api().postJson("/kafka/test", "{}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(problemFor(response, "text").get("problem").asText()).isEqualTo("is required");
    }
}
