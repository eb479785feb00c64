package io.leadai.pipeline.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.api.HostileCorpus.Request;
import io.leadai.pipeline.api.HostileCorpus.Stores;
import io.leadai.pipeline.testinfra.AiServiceStubs;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generated hostile-input corpus ({@link HostileCorpus}) against the running API: every refusal is a 4xx
 * with the JSON error body naming the field, nothing answers 5xx, and afterwards the database holds exactly
 * what the valid requests among them wrote, stored as sent.
 */
class HostileInputIT extends PipelineIntegrationTest {

    private static final String PURCHASE = "{\"intent\": \"purchase\", \"confidence\": 0.93}";
    private static final String LAPTOPS = "{\"entities\": [{\"type\": \"quantity\", \"value\": \"2\"}]}";
    /** Tables holding tenant data, with their keys. */
    private static final Map<String, String> TABLES = Map.of("leads", "lead_id", "lead_messages", "message_id",
            "outbox", "event_id", "ai_results", "source_event_id", "ai_errors", "error_id");

    private final AiServiceStubs answering = new AiServiceStubs();
    private final AiServiceStubs refusing = new AiServiceStubs();
    private final String tenant = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
    /** A tenant with a valid credential and no rows: the test's tenant's leads do not exist for it. */
    private final String otherTenant = "other-" + tenant;

    /** What the valid requests wrote: lead, message and event ids. */
    private final Set<String> validLeads = new HashSet<>();
    private final Set<String> validMessages = new HashSet<>();
    private final Set<String> validEvents = new HashSet<>();

    @AfterEach
    void removeStubs() {
        answering.close();
        refusing.close();
    }

    @Test
    void everyHostileRequestIsRefusedWithAJsonErrorAndChangesNothing() {
        answering.answer(PURCHASE, LAPTOPS);
        refusing.stub(refusing.request("/intent", refusing.marker()).willReturn(aResponse().withStatus(400)));
        refusing.stub(refusing.request("/entities", refusing.marker()).willReturn(okJson(LAPTOPS)));
        String readLead = api().createLead(tenant, "Fixture to read " + answering.marker());
        String writeLead = api().createLead(tenant, "Fixture to write to " + answering.marker());
        String failedLead = api().createLead(tenant, "Fixture to dead-letter " + refusing.marker());
        await().atMost(Duration.ofSeconds(30)).until(() -> api().leadStatus(tenant, readLead).equals("enriched")
                && api().leadStatus(tenant, writeLead).equals("enriched")
                && api().leadStatus(tenant, failedLead).equals("ai_failed"));
        String errorId = jdbc.queryForObject("SELECT error_id::text FROM ai_errors WHERE lead_id = ?::uuid", String.class,
                failedLead);
        awaitOutboxPublished();
        validLeads.add(writeLead);

        List<Request> corpus = new HostileCorpus(tenant, otherTenant, answering.marker(), readLead, writeLead, errorId)
                .generate();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
        Map<String, String> before = snapshot();
        Map<String, Long> othersBefore = otherTenantsRows();

        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        List<Request> validWrites = new ArrayList<>();
        Map<Request, JsonNode> answers = new HashMap<>();
        for (Request request : corpus) {
            ApiClient.Response response;
            try {
                response = send(request);
            } catch (UncheckedIOException e) {
                failures.add(request + ": no answer (" + e.getCause() + ")");
                byStatus.merge(-1, 1, Integer::sum);
                continue;
            }
            byStatus.merge(response.status(), 1, Integer::sum);
            String problem = check(request, response);
            if (problem != null) {
                failures.add(request + ": " + problem);
            } else if (request.valid() && request.stores() == Stores.REPLAY) {
                // the replayed event runs through the pipeline again for the dead letter's lead
                validEvents.add(response.json().get("event_id").asText());
                validLeads.add(failedLead);
            } else if (request.valid() && request.stores() != Stores.NOTHING) {
                validWrites.add(request);
                answers.put(request, response.json());
            } else if (request.valid() && response.status() == 202) {
                validEvents.add(response.json().get("event_id").asText());
            }
        }
        printReport(corpus.size(), byStatus, failures);

        for (Request request : validWrites) {
            String problem = storedAsSent(request, answers.get(request));
            if (problem != null) {
                failures.add(request + ": " + problem);
            }
        }
        awaitPipelineSettled();
        failures.addAll(unexpectedChanges(before, snapshot()));
        if (!otherTenantsRows().equals(othersBefore)) {
            failures.add("rows of other tenants changed: " + othersBefore + " -> " + otherTenantsRows());
        }
        assertThat(byStatus.keySet()).as("statuses answered").allMatch(status -> status >= 200 && status < 500);
        assertThat(failures).as("requests answered wrongly (" + failures.size() + " of " + corpus.size() + ")").isEmpty();
    }

    /** The request with the credential it names: the test tenant's, the other tenant's, or only its own headers. */
    private ApiClient.Response send(Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + request.path()))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        ApiClient client = switch (request.caller()) {
            case TENANT -> api().asTenant(tenant);
            case OTHER_TENANT -> api().asTenant(otherTenant);
            case OWN_HEADERS -> api().withoutCredential();
        };
        return client.send(builder);
    }

    /** What is wrong with the answer, or null. */
    private static String check(Request request, ApiClient.Response response) {
        int status = response.status();
        boolean expected = status == request.status()
                // /kafka/test answers 202 when its result takes longer than the wait
                || request.stores() == Stores.KAFKA_TEST && request.valid() && status == 202;
        if (!expected) {
            return "answered " + status + " instead of " + request.status() + ": " + abbreviated(response.body());
        }
        String contentType = response.header("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            return "content type " + contentType + ": " + abbreviated(response.body());
        }
        // markup in an answer is JSON string data, escaped, whatever a browser would make of it
        if (response.body().contains("<script") || response.body().contains("<img")) {
            return "answer carries markup unescaped: " + abbreviated(response.body());
        }
        if (request.valid()) {
            return null;
        }
        JsonNode body;
        try {
            body = response.json();
        } catch (AssertionError e) {
            return "error body is not JSON: " + abbreviated(response.body());
        }
        if (!body.isObject() || !body.path("error").isTextual() || body.get("error").asText().isBlank()
                || !body.path("details").isArray()) {
            return "error body not in the API's shape: " + abbreviated(response.body());
        }
        Set<String> fields = new HashSet<>();
        for (JsonNode detail : body.get("details")) {
            if (!detail.path("field").isTextual() || !detail.path("problem").isTextual()) {
                return "detail not in the API's shape: " + abbreviated(response.body());
            }
            fields.add(detail.get("field").asText());
        }
        if (request.field() != null && !fields.contains(request.field())) {
            return "error does not name " + request.field() + ": " + abbreviated(response.body());
        }
        for (String leak : List.of("Exception", "\tat ", "org.postgresql", "SQLState", "org.apache.camel")) {
            if (response.body().contains(leak)) {
                return "error body shows internals (" + leak + "): " + abbreviated(response.body());
            }
        }
        return null;
    }

    /** A valid write's answer, the API's view of it and the database row: each exactly what was sent. */
    private String storedAsSent(Request request, JsonNode answer) {
        Map<String, String> sent = request.sent();
        switch (request.stores()) {
            case LEAD -> {
                String leadId = answer.get("lead_id").asText();
                validLeads.add(leadId);
                JsonNode view = api().asTenant(tenant).get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant).json();
                Map<String, Object> row = jdbc.queryForMap("SELECT * FROM leads WHERE lead_id = ?::uuid", UUID.fromString(leadId));
                for (String field : List.of("tenant_id", "business_id", "initial_message", "source", "name", "email", "phone")) {
                    // the tenant is the credential's, whether the body repeats it or leaves it out
                    String expected = field.equals("tenant_id") ? tenant : sent.get(field);
                    if (!Objects.equals(expected, text(answer, field)) || !Objects.equals(expected, text(view, field))
                            || !Objects.equals(expected, row.get(field))) {
                        return field + " not stored as sent: sent " + quoted(expected) + ", answered "
                                + quoted(text(answer, field)) + ", read back " + quoted(text(view, field))
                                + ", stored " + quoted((String) row.get(field));
                    }
                }
            }
            case MESSAGE -> {
                String messageId = answer.get("message_id").asText();
                validMessages.add(messageId);
                validEvents.add(answer.get("event_id").asText());
                String stored = jdbc.queryForObject("SELECT message_text FROM lead_messages WHERE message_id = ?::uuid",
                        String.class, messageId);
                if (!sent.get("message_text").equals(stored)) {
                    return "message_text not stored as sent: sent " + quoted(sent.get("message_text")) + ", stored " + quoted(stored);
                }
            }
            case KAFKA_TEST -> {
                String eventId = answer.has("source_event_id") ? answer.get("source_event_id").asText()
                        : answer.get("event_id").asText();
                validEvents.add(eventId);
                if (answer.has("text") && !sent.get("text").equals(answer.get("text").asText())) {
                    return "text not answered as sent: " + quoted(answer.get("text").asText());
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject(
                        "SELECT count(*) FROM ai_results WHERE source_event_id = ?::uuid", Integer.class, eventId) == 1);
                Map<String, Object> row = jdbc.queryForMap("SELECT text, tenant_id FROM ai_results WHERE source_event_id = ?::uuid",
                        UUID.fromString(eventId));
                if (!sent.get("text").equals(row.get("text"))) {
                    return "text not stored as sent: sent " + quoted(sent.get("text")) + ", stored " + quoted((String) row.get("text"));
                }
                if (!tenant.equals(row.get("tenant_id"))) {
                    return "tenant_id not the credential's: sent " + quoted(sent.get("tenant_id")) + ", stored "
                            + row.get("tenant_id");
                }
            }
            default -> {
            }
        }
        return null;
    }

    /** Every row of the tenant by table and key, as JSON. */
    private Map<String, String> snapshot() {
        Map<String, String> rows = new TreeMap<>();
        TABLES.forEach((table, key) -> jdbc.query("SELECT " + key + "::text AS k, to_jsonb(t)::text AS v FROM " + table
                + " t WHERE tenant_id = ?", rs -> {
            rows.put(table + ":" + rs.getString("k"), rs.getString("v"));
        }, tenant));
        return rows;
    }

    private Map<String, Long> otherTenantsRows() {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : List.of("leads", "lead_messages", "outbox")) {
            counts.put(table, jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE tenant_id <> ?", Long.class, tenant));
        }
        return counts;
    }

    /** Rows added, changed or removed that no valid request of the corpus explains. */
    private List<String> unexpectedChanges(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : new java.util.TreeSet<>(keys)) {
            if (Objects.equals(before.get(key), after.get(key)) || explainedByValidRequest(key, after.get(key))) {
                continue;
            }
            changes.add("database row " + key + " changed: " + abbreviated(String.valueOf(before.get(key))) + " -> "
                    + abbreviated(String.valueOf(after.get(key))));
        }
        return changes;
    }

    private boolean explainedByValidRequest(String key, String row) {
        String table = key.substring(0, key.indexOf(':'));
        String id = key.substring(key.indexOf(':') + 1);
        JsonNode json = row == null ? null : ApiClient.json(row);
        return switch (table) {
            case "leads" -> validLeads.contains(id);
            case "lead_messages" -> validMessages.contains(id);
            case "outbox" -> validEvents.contains(id) || json != null && validLeads.contains(json.path("message_key").asText());
            case "ai_results" -> validEvents.contains(id) || json != null && validLeads.contains(json.path("lead_id").asText());
            case "ai_errors" -> json != null && validLeads.contains(json.path("lead_id").asText());
            default -> false;
        };
    }

    private void awaitOutboxPublished() {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM outbox WHERE tenant_id = ? AND published_at IS NULL", Integer.class, tenant) == 0);
    }

    /** Everything the valid requests set off is done: events published, leads and messages enriched. */
    private void awaitPipelineSettled() {
        awaitOutboxPublished();
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM leads WHERE tenant_id = ? AND status = 'enriching'", Integer.class, tenant) == 0
                && jdbc.queryForObject("SELECT count(*) FROM lead_messages WHERE tenant_id = ? AND enriched_at IS NULL",
                Integer.class, tenant) == 0);
    }

    private static void printReport(int size, Map<Integer, Integer> byStatus, List<String> failures) {
        StringBuilder report = new StringBuilder("\nHostile-input corpus: " + size + " requests\n  status  count\n");
        byStatus.forEach((status, count) -> report.append(String.format("  %6s  %5d%n",
                status < 0 ? "none" : status, count)));
        report.append("  wrong answers: ").append(failures.size()).append('\n');
        failures.forEach(f -> report.append("    ").append(f).append('\n'));
        System.out.println(report);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String quoted(String value) {
        return value == null ? "null" : HostileCorpus.jsonString(value);
    }

    private static String abbreviated(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
