package io.leadai.pipeline.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.TestCredentials;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class LeadApiIT extends PipelineIntegrationTest {

    @org.springframework.beans.factory.annotation.Value("${app.kafka.groups.enricher}")
    String enricherGroup;

    @org.springframework.beans.factory.annotation.Value("${app.kafka.groups.writer}")
    String writerGroup;

    @org.springframework.beans.factory.annotation.Value("${app.kafka.groups.error-writer}")
    String errorWriterGroup;

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ApiClient.Response createLead(String tenant, String message) {
        return api().postJson("/api/v1/leads", """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s",
                 "source": "web", "name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0958"}
                """.formatted(tenant, message));
    }

    @Test
    void createdLeadIsStoredAndPublishedOnceAsLeadCreated() {
        String tenant = tenant();
        ApiClient.Response created = createLead(tenant, "I want to buy 2 laptops");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode lead = created.json();
        String leadId = lead.get("lead_id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/v1/leads/" + leadId);
        assertThat(created.header("Content-Type")).startsWith("application/json");
        assertThat(created.header("tenant_id")).as("route headers stay inside").isNull();
        assertThat(lead.get("status").asText()).isEqualTo("new");
        assertThat(lead.get("tenant_id").asText()).isEqualTo(tenant);
        assertThat(lead.get("initial_message").asText()).isEqualTo("I want to buy 2 laptops");
        assertThat(lead.get("enrichment").isNull()).isTrue();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE lead_id = ?::uuid AND tenant_id = ?",
                Integer.class, leadId, tenant)).isEqualTo(1);

        List<ConsumerRecord<String, String>> records = kafka().read("lead.created",
                r -> leadId.equals(r.key()), found -> found.size() >= 1, Duration.ofSeconds(20), Duration.ofSeconds(1));
        assertThat(records).hasSize(1);
        JsonNode event = ApiClient.json(records.get(0).value());
        assertThat(event.get("event_type").asText()).isEqualTo("lead.created");
        assertThat(UUID.fromString(event.get("event_id").asText())).isNotNull();
        assertThat(Instant.parse(event.get("occurred_at").asText())).isEqualTo(Instant.parse(lead.get("created_at").asText()));
        assertThat(event.get("occurred_at").asText()).endsWith("Z");
        assertThat(event.get("tenant_id").asText()).isEqualTo(tenant);
        assertThat(event.get("business_id").asText()).isEqualTo("b-1");
        assertThat(event.get("lead_id").asText()).isEqualTo(leadId);
        assertThat(event.get("initial_message").asText()).isEqualTo("I want to buy 2 laptops");
        assertThat(event.get("source").asText()).isEqualTo("web");
        assertThat(event.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(event.get("email").asText()).isEqualTo("ada@example.com");
        assertThat(event.get("phone").asText()).isEqualTo("+44 20 7946 0958");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE message_key = ? AND published_at IS NULL",
                Integer.class, leadId)).isZero();
    }

    @Test
    void leadIsReadOnlyWithinItsTenant() {
        String tenant = tenant();
        String leadId = createLead(tenant, "Do you ship to Norway?").json().get("lead_id").asText();

        ApiClient.Response own = api().get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("lead_id").asText()).isEqualTo(leadId);
        assertThat(own.json().get("email").asText()).isEqualTo("ada@example.com");

        ApiClient.Response other = api().get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant());
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("error").asText()).isEqualTo("lead not found");
        assertThat(other.json().get("details").get(0).get("field").asText()).isEqualTo("lead_id");

        assertThat(api().get("/api/v1/leads/" + UUID.randomUUID() + "?tenant_id=" + tenant).status()).isEqualTo(404);
    }

    @Test
    void messagesAndReprocessingArePublishedInOrderAfterTheLead() {
        String tenant = tenant();
        String leadId = createLead(tenant, "Hello").json().get("lead_id").asText();
        List<String> messageIds = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ApiClient.Response accepted = api().postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + tenant,
                    "{\"message_text\": \"message " + i + "\"}");
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
            assertThat(accepted.json().get("lead_id").asText()).isEqualTo(leadId);
            messageIds.add(accepted.json().get("message_id").asText());
        }
        ApiClient.Response reprocess = api().post("/api/v1/leads/" + leadId + "/reprocess?tenant_id=" + tenant, null, "");
        assertThat(reprocess.status()).as(reprocess.toString()).isEqualTo(202);
        String requestEventId = reprocess.json().get("event_id").asText();

        assertThat(jdbc.queryForList("SELECT message_id::text FROM lead_messages WHERE lead_id = ?::uuid ORDER BY created_at",
                String.class, leadId)).containsExactlyElementsOf(messageIds);

        List<ConsumerRecord<String, String>> messages = kafka().read("lead.message", r -> leadId.equals(r.key()),
                found -> found.size() >= 3, Duration.ofSeconds(20), Duration.ofMillis(500));
        assertThat(messages).extracting(r -> ApiClient.json(r.value()).get("message_id").asText())
                .containsExactlyElementsOf(messageIds);
        JsonNode first = ApiClient.json(messages.get(0).value());
        assertThat(first.get("event_type").asText()).isEqualTo("lead.message");
        assertThat(first.get("message_text").asText()).isEqualTo("message 1");
        assertThat(first.get("business_id").asText()).isEqualTo("b-1");
        assertThat(first.get("tenant_id").asText()).isEqualTo(tenant);

        List<ConsumerRecord<String, String>> requests = kafka().read("ai.process.request", r -> leadId.equals(r.key()),
                found -> found.size() >= 1, Duration.ofSeconds(20), Duration.ofMillis(500));
        assertThat(requests).hasSize(1);
        JsonNode request = ApiClient.json(requests.get(0).value());
        assertThat(request.get("event_id").asText()).isEqualTo(requestEventId);
        assertThat(request.get("text").asText()).isEqualTo("message 3");
        assertThat(request.get("lead_id").asText()).isEqualTo(leadId);
    }

    @Test
    void keysetPagingReturnsEveryLeadOnceNewestFirst() {
        String tenant = tenant();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            created.add(0, createLead(tenant, "lead " + i).json().get("lead_id").asText());
        }
        createLead(tenant(), "another tenant's lead");

        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        do {
            ApiClient.Response page = api().get("/api/v1/leads?tenant_id=" + tenant + "&limit=5" + after);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.json().get("items").forEach(item -> seen.add(item.get("lead_id").asText()));
            JsonNode next = page.json().get("next");
            after = next.isNull() ? null : "&after=" + next.asText();
            pages++;
        } while (after != null && pages < 10);

        assertThat(pages).isEqualTo(5);
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(new HashSet<>(seen)).hasSize(23);

        // no AI service answers for these leads (404): each moves new -> enriching -> ai_failed
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM leads WHERE tenant_id = ? AND status = 'ai_failed'", Integer.class, tenant) == 23);
        assertThat(api().get("/api/v1/leads?tenant_id=" + tenant + "&status=new").json().get("items")).isEmpty();
        JsonNode failed = api().get("/api/v1/leads?tenant_id=" + tenant + "&status=ai_failed&limit=100").json().get("items");
        assertThat(failed).hasSize(23);
        assertThat(failed).allMatch(item -> item.get("status").asText().equals("ai_failed"));
    }

    @Test
    void kafkaTestPublishesAnAiProcessRequest() {
        // no AI service answers this text here, so no result comes within the wait: 202 with the event_id
        ApiClient.Response accepted = api().postJson("/kafka/test", "{\"text\": \"I want to buy 2 laptops\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String eventId = accepted.json().get("event_id").asText();

        List<ConsumerRecord<String, String>> records = kafka().read("ai.process.request", r -> eventId.equals(r.key()),
                found -> found.size() >= 1, Duration.ofSeconds(20), Duration.ofMillis(500));
        assertThat(records).hasSize(1);
        JsonNode event = ApiClient.json(records.get(0).value());
        assertThat(event.get("text").asText()).isEqualTo("I want to buy 2 laptops");
        assertThat(event.get("event_type").asText()).isEqualTo("ai.process.request");
        // the caller's tenant: ApiClient's token for a request that names none
        assertThat(event.get("tenant_id").asText()).isEqualTo(TestCredentials.DEFAULT_TENANT);
        assertThat(event.has("lead_id")).isFalse();
        assertThat(records.get(0).headers().lastHeader("Content-Type")).as("HTTP headers stay out of Kafka").isNull();
    }

    @Test
    void kafkaHealthListsBrokersTopicsAndGroups() {
        ApiClient.Response health = api().get("/kafka/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonNode body = health.json();
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("brokers")).isNotEmpty();
        Set<String> topics = new HashSet<>();
        body.get("topics").forEach(t -> {
            topics.add(t.get("name").asText());
            assertThat(t.get("exists").asBoolean()).isTrue();
            assertThat(t.get("partitions").asInt()).isEqualTo(3);
        });
        assertThat(topics).containsExactlyInAnyOrder("lead.created", "lead.message", "ai.process.request",
                "ai.process.result", "ai.error");
        assertThat(body.get("consumer_groups")).extracting(g -> g.get("group_id").asText())
                .containsExactly(enricherGroup, writerGroup, errorWriterGroup);
    }

    @Test
    void openApiDocumentDescribesEveryOperation() {
        ApiClient.Response doc = api().get("/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        JsonNode paths = doc.json().get("paths");
        assertThat(paths.fieldNames()).toIterable().contains("/api/v1/leads", "/api/v1/leads/{lead_id}",
                "/api/v1/leads/{lead_id}/messages", "/api/v1/leads/{lead_id}/reprocess", "/kafka/health",
                "/kafka/test");
        assertThat(paths.get("/api/v1/leads").get("post").get("operationId").asText()).isEqualTo("createLead");
    }
}
