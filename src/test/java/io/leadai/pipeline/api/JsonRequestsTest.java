package io.leadai.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonRequestsTest {

    private final JsonRequests requests = new JsonRequests(new ObjectMapper(), new io.leadai.pipeline.schema.JsonSchemas());

    private static ApiException refusal(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("request was accepted");
    }

    @Test
    void validLeadPasses() {
        ObjectNode lead = read("""
                {"tenant_id": "acme", "business_id": "shop-1", "initial_message": "2 laptops please",
                 "email": "al@example.org", "phone": "+1 (555) 010-9999", "source": "web", "name": "Al"}""",
                "application/json; charset=UTF-8", "create-lead");
        assertThat(lead.get("tenant_id").asText()).isEqualTo("acme");
    }

    private ObjectNode read(String body, String contentType, String schema) {
        try {
            return requests.read(body, contentType, schema);
        } catch (ApiException e) {
            throw new AssertionError(e.body().toString(), e);
        }
    }

    @Test
    void everyProblemIsReportedWithItsField() {
        ApiException e = refusal(() -> requests.read("""
                {"tenant_id": "bad tenant!", "initial_message": "", "status": "enriched", "extra": 1}""",
                "application/json", "create-lead"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.body().details()).containsExactly(
                new FieldProblem("business_id", "is required"),
                new FieldProblem("extra", "is not a known field"),
                new FieldProblem("initial_message", "must not be blank"),
                new FieldProblem("status", "is set by the server and cannot be sent"),
                new FieldProblem("tenant_id", "must be 1 to 64 letters, digits or . _ : - (starting with a letter or digit)"));
    }

    @Test
    void duplicateKeysAreMalformed() {
        ApiException e = refusal(() -> requests.read("{\"text\": \"a\", \"text\": \"b\"}", "application/json", "kafka-test"));
        assertThat(e.body().error()).isEqualTo("malformed JSON");
        assertThat(e.body().details().get(0).problem()).contains("Duplicate field 'text'");
    }

    @Test
    void nonObjectBodiesAreMalformed() {
        assertThat(refusal(() -> requests.read("[1, 2]", "application/json", "kafka-test")).body().details())
                .containsExactly(new FieldProblem("body", "must be a JSON object"));
        assertThat(refusal(() -> requests.read("", "application/json", "kafka-test")).body().details())
                .containsExactly(new FieldProblem("body", "is empty"));
    }

    @Test
    void onlyJsonIsRead() {
        ApiException e = refusal(() -> requests.read("{\"text\": \"a\"}", "text/plain", "kafka-test"));
        assertThat(e.status()).isEqualTo(415);
        assertThat(e.body().details().get(0).field()).isEqualTo("Content-Type");
        assertThat(refusal(() -> requests.read("{\"text\": \"a\"}", null, "kafka-test")).status()).isEqualTo(415);
        assertThatThrownBy(() -> requests.read("{\"text\": \"a\"}", "application/jsonx", "kafka-test"))
                .isInstanceOf(ApiException.class);
    }

    @Test
    void trailingContentAfterTheObjectIsMalformed() {
        for (String body : new String[] {"{\"text\": \"a\"} garbage", "{\"text\": \"a\"}{\"text\": \"b\"}"}) {
            ApiException e = refusal(() -> requests.read(body, "application/json", "kafka-test"));
            assertThat(e.body().error()).as(body).isEqualTo("malformed JSON");
        }
    }

    @Test
    void textTheDatabaseCannotStoreIsRefusedByField() {
        ApiException nul = refusal(() -> requests.read("{\"text\": \"a\\u0000b\"}", "application/json", "kafka-test"));
        assertThat(nul.body().details()).containsExactly(new FieldProblem("text", "must not contain NUL characters"));
        ApiException surrogate = refusal(() -> requests.read("{\"text\": \"a\\ud83d b\"}", "application/json", "kafka-test"));
        assertThat(surrogate.body().details().get(0).field()).isEqualTo("text");
        // a whole pair is an emoji, and fine
        assertThat(read("{\"text\": \"a \\ud83d\\ude00\"}", "application/json", "kafka-test").get("text").asText())
                .isEqualTo("a \ud83d\ude00");
    }

    @Test
    void identifiersEndAtTheirLastCharacterNotBeforeAFinalNewline() {
        ApiException e = refusal(() -> requests.read("{\"text\": \"a\", \"tenant_id\": \"acme\\n\"}",
                "application/json", "kafka-test"));
        assertThat(e.body().details()).extracting(FieldProblem::field).containsExactly("tenant_id");
    }

    @Test
    void charsetOtherThanUtf8Is415() {
        for (String type : new String[] {"application/json; charset=ISO-8859-1", "application/json; charset=",
                "application/json;charset=nope"}) {
            ApiException e = refusal(() -> requests.read("{\"text\": \"a\"}", type, "kafka-test"));
            assertThat(e.status()).as(type).isEqualTo(415);
        }
        assertThat(read("{\"text\": \"a\"}", "application/json; charset=\"utf-8\"", "kafka-test")).isNotNull();
    }

    @Test
    void pathIdsAreCanonicalUuids() {
        assertThat(PathIds.uuid("0F8FAD5B-D9CB-469F-A165-70867728950E", "lead_id").toString())
                .isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
        for (String id : new String[] {"1-1-1-1-1", "0f8fad5bd9cb469fa16570867728950e", "{0f8fad5b-d9cb-469f-a165-70867728950e}"}) {
            assertThat(refusal(() -> PathIds.uuid(id, "lead_id")).body().details())
                    .containsExactly(new FieldProblem("lead_id", "must be a UUID"));
        }
    }

    @Test
    void bodiesThatAreNotUtf8AreFoundByTheBodyFilter() {
        assertThat(RequestBodyLimitFilter.utf8Problem("{\"text\": \"\u00e9\ud83d\ude00\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isNull();
        for (byte[] bad : new byte[][] {{'"', (byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xE9}}) {
            assertThat(RequestBodyLimitFilter.utf8Problem(bad)).startsWith("is not valid UTF-8");
        }
    }
}
