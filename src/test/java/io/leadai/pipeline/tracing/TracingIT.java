package io.leadai.pipeline.tracing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.TestCredentials;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One trace per lead, from the REST call through the outbox, Kafka and both AI calls to the database write;
 * records read in one Kafka batch each continue their own trace; a JSON log line of a record's work names
 * the record. Spans go to an in-memory exporter; topics of its own, so it sees only its own events.
 */
@CamelSpringBootTest
// a @SpringBootTest switches tracing off unless asked for it
@AutoConfigureObservability(metrics = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class TracingIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String LEAD_CREATED = "lead.created." + RUN;
    private static final String AI_RESULT = "ai.process.result." + RUN;
    private static final String TENANT = "trace-" + RUN;
    private static final AttributeKey<String> LEAD_ID = AttributeKey.stringKey("lead_id");
    private static final AttributeKey<String> CAMEL_URI = AttributeKey.stringKey("camel.uri");
    private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("messaging.batch.message_count");

    /** Two lead.created records of other systems' traces, on the topic before the application starts. */
    private static final Producer A = new Producer(UUID.randomUUID(), hex(16), hex(8));
    private static final Producer B = new Producer(UUID.randomUUID(), hex(16), hex(8));

    /** Every span as it ends; not a SpanExporter bean, which Spring Boot would also hand to its batch processor. */
    private static final InMemorySpanExporter spans = InMemorySpanExporter.create();

    @TestConfiguration
    static class InMemorySpans {

        @Bean
        SpanProcessor exportEachEndedSpan() {
            return SimpleSpanProcessor.create(spans);
        }
    }

    @LocalServerPort
    int port;

    /** What the pipeline stored, every tenant's rows. */
    JdbcTemplate jdbc;

    @Autowired
    void adminJdbc(Environment environment) {
        jdbc = TestInfrastructure.adminJdbc(environment);
    }

    private final WireMockServer ai = TestInfrastructure.aiServices();

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) throws Exception {
        TestInfrastructure.ownPipeline(registry, "tracing", RUN);
        TestCredentials.registerIn(registry);
        registry.add("ai.intent.url", () -> TestInfrastructure.aiServices().baseUrl() + "/intent");
        registry.add("ai.entity.url", () -> TestInfrastructure.aiServices().baseUrl() + "/entities");
        servicesAnswer(TestInfrastructure.aiServices(), RUN);
        // the enricher's first poll, at start-up, reads both in one batch
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (Producer record : List.of(A, B)) {
                ProducerRecord<String, String> event = new ProducerRecord<>(LEAD_CREATED, record.leadId.toString(),
                        record.event());
                event.headers().add("traceparent", record.traceparent().getBytes(StandardCharsets.UTF_8));
                producer.send(event).get();
            }
        }
    }

    /** Both services answer for texts that contain the marker. */
    private static void servicesAnswer(WireMockServer ai, String marker) {
        ai.stubFor(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson("{\"intent\": \"purchase\", \"confidence\": 0.9}")));
        ai.stubFor(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson("{\"entities\": [{\"type\": \"quantity\", \"value\": \"2\"}]}")));
    }

    @BeforeEach
    void startUpBatchDone() {
        // the two records read at start-up are stored before a test adds its own
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM ai_results WHERE lead_id IN (?, ?)", Integer.class, A.leadId, B.leadId) == 2);
    }

    @Test
    void aLeadIsOneTraceFromTheRestCallToTheDatabaseWrite() {
        String leadId = createLead("I want to buy 2 laptops (" + RUN + ")");
        String traceId = traceOf(leadId);

        List<SpanData> trace = awaitSpans(traceId, List.of(
                span("the REST request", s -> s.getKind() == SpanKind.SERVER && s.getName().equals("http post /api/v1/leads")),
                span("the REST route", s -> uri(s).startsWith("rest://post:/api/v1/leads")),
                span("the lead and outbox insert", s -> uri(s).contains("insert-lead.sql")),
                span("the relay's publish", s -> s.getName().equals(LEAD_CREATED)),
                span("the enricher's consume", s -> s.getKind() == SpanKind.CONSUMER
                        && s.getName().equals("process " + LEAD_CREATED) && leadId.equals(s.getAttributes().get(LEAD_ID))),
                span("the intent call", s -> uri(s).endsWith("/intent?httpMethod=POST")),
                span("the entity call", s -> uri(s).endsWith("/entities?httpMethod=POST")),
                span("the result's publish", s -> s.getName().equals(AI_RESULT)),
                span("the writer's consume", s -> s.getKind() == SpanKind.CONSUMER
                        && s.getName().equals("process " + AI_RESULT) && leadId.equals(s.getAttributes().get(LEAD_ID))),
                span("the writer's database write", s -> uri(s).contains("upsert-ai-result.sql"))));

        assertThat(trace).filteredOn(s -> s.getParentSpanId().equals("0000000000000000")).hasSize(1)
                .allMatch(s -> s.getKind() == SpanKind.SERVER);
        // the context travelled in the outbox row and in the record's headers, and nothing of the HTTP request did
        assertThat(jdbc.queryForObject("SELECT traceparent FROM outbox WHERE message_key = ?", String.class, leadId))
                .contains(traceId);
        ConsumerRecord<String, String> event = new TestKafka(TestInfrastructure.kafkaBootstrapServers()).read(
                LEAD_CREATED, r -> leadId.equals(r.key()), found -> !found.isEmpty(), Duration.ofSeconds(10),
                Duration.ZERO).get(0);
        List<String> headers = new ArrayList<>();
        event.headers().forEach(h -> headers.add(h.key()));
        assertThat(headers).containsExactly("traceparent");
        assertThat(new String(event.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8)).contains(traceId);

        String secondLead = createLead("And 3 monitors (" + RUN + ")");
        String secondTrace = traceOf(secondLead);
        assertThat(secondTrace).isNotEqualTo(traceId);
        awaitSpans(secondTrace, List.of(
                span("the second REST request", s -> s.getKind() == SpanKind.SERVER),
                span("the second lead's consume", s -> secondLead.equals(s.getAttributes().get(LEAD_ID))),
                span("the second lead's write", s -> uri(s).contains("upsert-ai-result.sql"))));
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getTraceId().equals(traceId))
                .noneMatch(s -> secondLead.equals(s.getAttributes().get(LEAD_ID)));

        // a later write about the lead is a request, and a trace, of its own
        ApiClient.Response message = new ApiClient(port).postJson("/api/v1/leads/" + leadId + "/messages?tenant_id="
                + TENANT, "{\"message_text\": \"Make it 3 (" + RUN + ")\"}");
        assertThat(message.status()).as(message.toString()).isEqualTo(202);
        String messageTrace = await().atMost(Duration.ofSeconds(20)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("process lead.message." + RUN) && leadId.equals(s.getAttributes().get(LEAD_ID)))
                .map(SpanData::getTraceId).findFirst().orElse(null), id -> id != null);
        assertThat(messageTrace).isNotIn(traceId, secondTrace);
        awaitSpans(messageTrace, List.of(
                span("the message request", s -> s.getKind() == SpanKind.SERVER
                        && s.getName().equals("http post /api/v1/leads/{lead_id}/messages")),
                span("the message's write", s -> uri(s).contains("insert-lead-message.sql")),
                span("the message's result write", s -> uri(s).contains("upsert-ai-result.sql"))));
    }

    @Test
    void recordsReadInOneBatchEachContinueTheTraceTheyWereSentIn() {
        for (Producer record : List.of(A, B)) {
            Producer other = record == A ? B : A;
            List<SpanData> trace = awaitSpans(record.traceId, List.of(
                    span("the enricher's consume", s -> s.getName().equals("process " + LEAD_CREATED)),
                    span("the intent call", s -> uri(s).endsWith("/intent?httpMethod=POST")),
                    span("the entity call", s -> uri(s).endsWith("/entities?httpMethod=POST")),
                    span("the result's publish", s -> s.getName().equals(AI_RESULT)),
                    span("the writer's consume", s -> s.getName().equals("process " + AI_RESULT))));
            SpanData consume = trace.stream().filter(s -> s.getName().equals("process " + LEAD_CREATED)).findFirst()
                    .orElseThrow();
            assertThat(consume.getParentSpanId()).as("child of the producer's span").isEqualTo(record.spanId);
            assertThat(consume.getAttributes().get(LEAD_ID)).isEqualTo(record.leadId.toString());
            assertThat(consume.getAttributes().get(BATCH_SIZE)).as("read in one batch with the other").isEqualTo(2L);
            assertThat(trace).as("one record's work only").noneMatch(s -> other.leadId.toString()
                    .equals(s.getAttributes().get(LEAD_ID)));
            assertThat(trace).filteredOn(s -> uri(s).endsWith("/intent?httpMethod=POST")).hasSize(1);
        }
    }

    @Test
    void aJsonLogLineOfARecordsWorkCarriesItsEventLeadAndTenant() throws Exception {
        String marker = "flaky " + RUN;
        ai.stubFor(post("/entities").withRequestBody(matchingJsonPath("$.text", containing(marker)))
                .willReturn(okJson("{\"entities\": []}")));
        ai.stubFor(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).inScenario(marker)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        ai.stubFor(post("/intent").withRequestBody(matchingJsonPath("$.text", containing(marker))).inScenario(marker)
                .whenScenarioStateIs("up").willReturn(okJson("{\"intent\": \"pricing\", \"confidence\": 0.8}")));

        String leadId;
        String output;
        try (JsonLogs logs = JsonLogs.capture()) {
            leadId = createLead("What does it cost? " + marker);
            await().atMost(Duration.ofSeconds(20)).until(() -> "enriched".equals(lead(leadId).get("status").asText()));
            output = logs.text();
        }

        List<JsonNode> lines = output.lines().map(ApiClient::json).toList();
        String eventId = jdbc.queryForObject("SELECT event_id::text FROM outbox WHERE message_key = ?", String.class,
                leadId);
        // the enricher retries the intent call that answered 503, and says so
        JsonNode retry = lines.stream()
                .filter(line -> line.path("message").asText().contains("redelivery 1 of record"))
                .filter(line -> leadId.equals(line.path("lead_id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no retry line of lead " + leadId + " in " + output));
        assertThat(retry.path("event_id").asText()).isEqualTo(eventId);
        assertThat(retry.path("tenant_id").asText()).isEqualTo(TENANT);
        assertThat(retry.path("traceId").asText()).isEqualTo(traceOf(leadId));
        assertThat(retry.path("spanId").asText()).hasSize(16);
    }

    private String createLead(String text) {
        ApiClient.Response created = new ApiClient(port).postJson("/api/v1/leads", """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s"}""".formatted(TENANT, text));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("lead_id").asText();
    }

    private JsonNode lead(String leadId) {
        return new ApiClient(port).get("/api/v1/leads/" + leadId + "?tenant_id=" + TENANT).json();
    }

    /** The trace of a lead: the one its enricher span is in. */
    private String traceOf(String leadId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.CONSUMER && leadId.equals(s.getAttributes().get(LEAD_ID)))
                .map(SpanData::getTraceId).findFirst().orElse(null), id -> id != null);
    }

    /** The spans of the trace, once each expected span has ended in it. */
    private List<SpanData> awaitSpans(String traceId, List<Expected> expected) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId)).toList(), trace -> {
                    List<String> missing = expected.stream()
                            .filter(e -> trace.stream().noneMatch(e.matches)).map(Expected::what).toList();
                    return missing.isEmpty();
                });
    }

    private static Expected span(String what, Predicate<SpanData> matches) {
        return new Expected(what, matches);
    }

    private record Expected(String what, Predicate<SpanData> matches) {
    }

    private static String uri(SpanData span) {
        String uri = span.getAttributes().get(CAMEL_URI);
        return uri == null ? "" : uri;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** A lead.created record as another system sends it, in a trace of its own. */
    private record Producer(UUID leadId, String traceId, String spanId) {

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }

        String event() {
            return """
                    {"event_id": "%s", "event_type": "lead.created", "occurred_at": "%s", "tenant_id": "%s",
                     "business_id": "b-1", "lead_id": "%s", "initial_message": "Two chairs please (%s)"}"""
                    .formatted(UUID.randomUUID(), Instant.now(), TENANT, leadId, RUN);
        }
    }

    /**
     * What the application logs meanwhile, in the JSON lines {@code logging.structured.format.console=ecs}
     * makes: Spring Boot's structured encoder on the root logger.
     */
    private static final class JsonLogs implements AutoCloseable {

        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        private final Logger root;

        private JsonLogs() {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            StructuredLogEncoder encoder = new StructuredLogEncoder();
            encoder.setContext(context);
            encoder.setFormat("ecs");
            encoder.start();
            appender.setContext(context);
            appender.setEncoder(encoder);
            appender.setOutputStream(buffer);
            appender.start();
            root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.addAppender(appender);
        }

        static JsonLogs capture() {
            return new JsonLogs();
        }

        String text() {
            return buffer.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            root.detachAppender(appender);
            appender.stop();
        }
    }
}
