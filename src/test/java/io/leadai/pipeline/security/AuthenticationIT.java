package io.leadai.pipeline.security;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.leadai.pipeline.testinfra.AiServiceStubs;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.TestCredentials;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Who may call the API, as a client sees it, on the real application with Kafka and PostgreSQL: API keys and
 * JWTs (keys from a JWK set served over HTTP), 401 and 403 with the API's JSON error body, the tenant taken
 * from the credential only, another tenant's data answered as absent, and the per-tenant write limit.
 */
@CamelSpringBootTest
// the Prometheus endpoint as in production (Spring Boot tests leave metrics exports off otherwise)
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class AuthenticationIT {

    private static final String ACME = "auth-acme";
    private static final String ACME_KEY = "acme-key-8c1f4e7a90b2d35c6e1f08a7b4c92d5e";
    private static final String BETA = "auth-beta";
    private static final String BETA_KEY = "beta-key-2a7d9c4e1b8f06a3d5c7e92b4f1a0c68";
    private static final String JWKS_PATH = "/auth-it/jwks.json";
    private static final int WRITES_PER_SECOND = 10;
    /** A key of the issuer's JWK set besides the test issuer's own, named by its key id. */
    private static final KeyPair JWK_SET_KEY = TestCredentials.generateRsaKeys();

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    /** What the application stored, every tenant's rows (the application's own role sees one per transaction). */
    JdbcTemplate jdbc;

    @Autowired
    void adminJdbc(Environment environment) {
        jdbc = TestInfrastructure.adminJdbc(environment);
    }

    private StubMapping jwks;

    @DynamicPropertySource
    static void pipelineWithCredentials(DynamicPropertyRegistry registry) throws Exception {
        TestInfrastructure.ownPipeline(registry, "authentication", RUN);
        registry.add("ai.intent.url", () -> TestInfrastructure.aiServices().baseUrl() + "/intent");
        registry.add("ai.entity.url", () -> TestInfrastructure.aiServices().baseUrl() + "/entities");
        registry.add("app.kafka-test.result-wait", () -> "3s");
        TestCredentials.registerIn(registry);
        // after registerIn: the later value of a property wins
        registry.add("app.security.api-keys",
                () -> ACME + ":" + ApiKeys.hash(ACME_KEY) + "," + BETA + ":" + ApiKeys.hash(BETA_KEY));
        // the JWK set URI wins over the public key file of registerIn
        registry.add("app.security.jwt.jwk-set-uri", () -> TestInfrastructure.aiServices().baseUrl() + JWKS_PATH);
        registry.add("app.security.rate-limit.writes-per-second", () -> WRITES_PER_SECOND);
    }

    @BeforeEach
    void serveJwkSet() throws Exception {
        JWKSet set = new JWKSet(List.of(
                new RSAKey.Builder((RSAPublicKey) JWK_SET_KEY.getPublic()).keyID("jwk-set-key").build(),
                new RSAKey.Builder(publicKeyOf(TestCredentials.issuerKey())).keyID("test-issuer").build()));
        jwks = TestInfrastructure.aiServices().stubFor(get(urlEqualTo(JWKS_PATH)).willReturn(okJson(set.toString())));
    }

    @AfterEach
    void removeJwkSet() {
        TestInfrastructure.aiServices().removeStub(jwks);
    }

    private ApiClient api() {
        return new ApiClient(port);
    }

    private static String tenant() {
        return "auth-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String lead(String tenantField) {
        return "{" + tenantField + "\"business_id\": \"b-1\", \"initial_message\": \"I want to buy 2 laptops\"}";
    }

    private int leadsOf(String tenant) {
        return jdbc.queryForObject("SELECT count(*) FROM leads WHERE tenant_id = ?", Integer.class, tenant);
    }

    private static void assertError(ApiClient.Response response, int status, String error, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("details")).hasSize(1);
        assertThat(body.get("details").get(0).get("field").asText()).isEqualTo(field);
        assertThat(body.get("details").get(0).get("problem").asText()).isNotBlank();
    }

    @Test
    void everyOperationWithoutCredentialIs401WithChallengesAndJsonBody() {
        ApiClient anonymous = api().withoutCredential();
        String id = UUID.randomUUID().toString();
        for (ApiClient.Response response : List.of(
                anonymous.postJson("/api/v1/leads", lead("\"tenant_id\": \"" + ACME + "\", ")),
                anonymous.get("/api/v1/leads?tenant_id=" + ACME),
                anonymous.get("/api/v1/leads/" + id),
                anonymous.postJson("/api/v1/leads/" + id + "/messages", "{\"message_text\": \"hi\"}"),
                anonymous.post("/api/v1/leads/" + id + "/reprocess", null, ""),
                anonymous.get("/api/v1/ai-errors"),
                anonymous.post("/api/v1/ai-errors/" + id + "/replay", null, ""),
                anonymous.get("/kafka/health"),
                anonymous.postJson("/kafka/test", "{\"text\": \"hello\"}"),
                anonymous.get("/kafka/test/" + id))) {
            assertError(response, 401, "unauthorized", "X-API-Key");
            assertThat(response.raw().headers().allValues("WWW-Authenticate"))
                    .anySatisfy(challenge -> assertThat(challenge).startsWith("Bearer"))
                    .anySatisfy(challenge -> assertThat(challenge).startsWith("ApiKey").contains("X-API-Key"));
        }
        assertThat(leadsOf(ACME)).isZero();
    }

    @Test
    void apiKeyActsForItsTenantWhichTheBodyNeedNotName() {
        int before = leadsOf(ACME);
        ApiClient acme = api().withApiKey(ACME_KEY);
        ApiClient.Response created = acme.postJson("/api/v1/leads", lead(""));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("tenant_id").asText()).isEqualTo(ACME);
        assertThat(leadsOf(ACME)).isEqualTo(before + 1);

        String leadId = created.json().get("lead_id").asText();
        JsonNode page = acme.get("/api/v1/leads?limit=100").json();
        assertThat(page.get("items")).anySatisfy(item -> assertThat(item.get("lead_id").asText()).isEqualTo(leadId));
        assertThat(page.get("items")).allSatisfy(item -> assertThat(item.get("tenant_id").asText()).isEqualTo(ACME));
        assertThat(acme.get("/api/v1/leads/" + leadId + "?tenant_id=" + ACME).status()).isEqualTo(200);
        assertThat(api().withApiKey(BETA_KEY).get("/api/v1/leads/" + leadId).status()).isEqualTo(404);
    }

    @Test
    void unknownApiKeyIs401() {
        int before = leadsOf(ACME);
        ApiClient.Response response = api().withApiKey(ACME_KEY + "x").postJson("/api/v1/leads", lead(""));
        assertError(response, 401, "unauthorized", "X-API-Key");
        assertThat(response.json().get("details").get(0).get("problem").asText()).isEqualTo("is not a valid API key");
        assertThat(response.header("WWW-Authenticate")).isNotNull();
        assertThat(leadsOf(ACME)).isEqualTo(before);
    }

    @Test
    void apiKeyAndBearerTogetherAre401() {
        String tenant = tenant();
        int before = leadsOf(ACME);
        // two credentials that name two tenants: neither is taken
        ApiClient.Response both = api().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/v1/leads")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestCredentials.token(tenant)).header("X-API-Key", ACME_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(lead(""))));
        assertError(both, 401, "unauthorized", "X-API-Key");
        assertThat(leadsOf(tenant)).isZero();
        assertThat(leadsOf(ACME)).isEqualTo(before);
    }

    @Test
    void jwtFromTheJwkSetActsForItsTenantClaim() {
        String tenant = tenant();
        String token = TestCredentials.sign(TestCredentials.claims(tenant).build(),
                (RSAPrivateKey) JWK_SET_KEY.getPrivate(), "jwk-set-key");
        ApiClient.Response created = api().withBearer(token).postJson("/api/v1/leads", lead(""));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("tenant_id").asText()).isEqualTo(tenant);
        assertThat(leadsOf(tenant)).isEqualTo(1);
        assertThat(TestInfrastructure.aiServices().findAll(getRequestedFor(urlEqualTo(JWKS_PATH))))
                .as("the keys came from the JWK set URI").isNotEmpty();
    }

    static Stream<Arguments> refusedTokens() {
        String tenant = "auth-refused";
        RSAPrivateKey issuer = TestCredentials.issuerKey();
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("wrong issuer", TestCredentials.sign(TestCredentials.claims(tenant)
                        .issuer("https://someone-else.test").build(), issuer)),
                Arguments.of("wrong audience", TestCredentials.sign(TestCredentials.claims(tenant)
                        .audience("another-service").build(), issuer)),
                Arguments.of("expired", TestCredentials.sign(TestCredentials.claims(tenant)
                        .issueTime(Date.from(now.minusSeconds(7200)))
                        .expirationTime(Date.from(now.minusSeconds(3600))).build(), issuer)),
                Arguments.of("bad signature", TestCredentials.sign(TestCredentials.claims(tenant).build(),
                        (RSAPrivateKey) TestCredentials.generateRsaKeys().getPrivate())),
                Arguments.of("no tenant claim", TestCredentials.sign(new JWTClaimsSet.Builder(
                        TestCredentials.claims(tenant).build()).claim("tenant_id", null).build(), issuer)),
                Arguments.of("not a JWT", "not-a-jwt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusedTokenIs401WithBearerErrorAndJsonBody(String why, String token) {
        ApiClient.Response response = api().withBearer(token).postJson("/api/v1/leads", lead(""));
        assertError(response, 401, "unauthorized", "Authorization");
        assertThat(response.raw().headers().allValues("WWW-Authenticate"))
                .anySatisfy(challenge -> assertThat(challenge).startsWith("Bearer").contains("error=\"invalid_token\""));
        assertThat(leadsOf("auth-refused")).isZero();
        // the same claims, properly issued, are accepted: the refusal was for the one thing changed
        assertThat(api().asTenant("auth-refused").get("/api/v1/leads").status()).isEqualTo(200);
    }

    @Test
    void tenantIdNamingAnotherTenantIs403() {
        String tenant = tenant();
        String other = tenant();
        ApiClient client = api().asTenant(tenant);
        String leadId = client.postJson("/api/v1/leads", lead("\"tenant_id\": \"" + tenant + "\", ")).json()
                .get("lead_id").asText();
        for (ApiClient.Response response : List.of(
                client.postJson("/api/v1/leads", lead("\"tenant_id\": \"" + other + "\", ")),
                client.get("/api/v1/leads?tenant_id=" + other),
                client.get("/api/v1/leads/" + leadId + "?tenant_id=" + other),
                client.postJson("/api/v1/leads/" + leadId + "/messages?tenant_id=" + other, "{\"message_text\": \"hi\"}"),
                client.post("/api/v1/leads/" + leadId + "/reprocess?tenant_id=" + other, null, ""),
                client.get("/api/v1/ai-errors?tenant_id=" + other),
                client.postJson("/kafka/test", "{\"text\": \"hello\", \"tenant_id\": \"" + other + "\"}"))) {
            assertError(response, 403, "forbidden", "tenant_id");
        }
        assertThat(leadsOf(tenant)).isEqualTo(1);
        assertThat(leadsOf(other)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, tenant))
                .as("only the lead's own event").isEqualTo(1);
    }

    @Test
    void tenantIdHeaderIsNotTrusted() {
        String tenant = tenant();
        String other = tenant();
        String othersLead = api().asTenant(other).postJson("/api/v1/leads", lead("")).json().get("lead_id").asText();
        HttpRequest.Builder read = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/leads/"
                + othersLead)).header("tenant_id", other).header("Authorization", "Bearer " + TestCredentials.token(tenant));
        assertThat(api().send(read).status()).isEqualTo(404);
        ApiClient.Response created = api().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/leads")).header("Content-Type", "application/json").header("tenant_id", other)
                .header("Authorization", "Bearer " + TestCredentials.token(tenant))
                .POST(HttpRequest.BodyPublishers.ofString(lead(""))));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("tenant_id").asText()).isEqualTo(tenant);
        assertThat(leadsOf(other)).isEqualTo(1);
    }

    @Test
    void anotherTenantsLeadsMessagesErrorsAndResultsAre404() throws Exception {
        String owner = tenant();
        String intruder = tenant();
        ApiClient ownerClient = api().asTenant(owner);
        ApiClient intruderClient = api().asTenant(intruder);
        // no AI service answers this text: the lead's event is dead-lettered, an ai_errors row of the owner's
        String leadId = ownerClient.postJson("/api/v1/leads", lead("")).json().get("lead_id").asText();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                ownerClient.get("/api/v1/ai-errors").json().get("items")).isNotEmpty());
        String errorId = ownerClient.get("/api/v1/ai-errors").json().get("items").get(0).get("error_id").asText();
        Integer outboxBefore = jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, owner);

        String lead = "/api/v1/leads/" + leadId;
        for (ApiClient.Response response : List.of(
                intruderClient.get(lead),
                intruderClient.postJson(lead + "/messages", "{\"message_text\": \"mine now\"}"),
                intruderClient.post(lead + "/reprocess", null, ""),
                intruderClient.post("/api/v1/ai-errors/" + errorId + "/replay", null, ""))) {
            assertThat(response.status()).as(response.toString()).isEqualTo(404);
            assertThat(response.body()).doesNotContain(owner);
        }
        assertThat(intruderClient.get("/api/v1/leads").json().get("items")).isEmpty();
        assertThat(intruderClient.get("/api/v1/ai-errors").json().get("items")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE tenant_id = ?", Integer.class, owner))
                .isEqualTo(outboxBefore);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM lead_messages WHERE lead_id = ?::uuid", Integer.class,
                leadId)).isZero();
        assertThat(jdbc.queryForObject("SELECT replayed_at IS NULL FROM ai_errors WHERE error_id = ?::uuid",
                Boolean.class, errorId)).isTrue();
        assertThat(ownerClient.get(lead).status()).isEqualTo(200);

        try (AiServiceStubs ai = new AiServiceStubs()) {
            ai.answer("{\"intent\": \"purchase\", \"confidence\": 0.9}", "{\"entities\": []}");
            ApiClient.Response tested = ownerClient.postJson("/kafka/test", "{\"text\": \"buy " + ai.marker() + "\"}");
            // 200 with the result (whose source is the request), or 202 with the request's event_id
            String eventId = tested.json().has("source_event_id")
                    ? tested.json().get("source_event_id").asText()
                    : tested.json().get("event_id").asText();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ApiClient.Response result = ownerClient.get("/kafka/test/" + eventId);
                assertThat(result.status()).as(tested + " then " + result).isEqualTo(200);
            });
            assertThat(intruderClient.get("/kafka/test/" + eventId).status()).isEqualTo(404);
        }
    }

    @Test
    void noisyTenantGets429WhileAnotherIsServedPromptly() throws Exception {
        ApiClient noisy = api().asTenant(tenant());
        String quietTenant = tenant();
        ApiClient quiet = api().asTenant(quietTenant);
        // read while the flooding threads add to it: a queue whose iteration never throws
        java.util.Queue<ApiClient.Response> noisyAnswers = new java.util.concurrent.ConcurrentLinkedQueue<>();
        var flooding = new java.util.concurrent.atomic.AtomicBoolean(true);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2; i++) {
                pool.submit(() -> {
                    while (flooding.get()) {
                        noisyAnswers.add(noisy.postJson("/api/v1/leads", lead("")));
                    }
                });
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> noisyAnswers.stream().anyMatch(r -> r.status() == 429));

            // while the noisy tenant is refused, another tenant's writes (within its own limit) all go through
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                ApiClient.Response created = quiet.postJson("/api/v1/leads", lead(""));
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                assertThat(took).as("a quiet tenant's write during the flood").isLessThan(Duration.ofSeconds(2));
            }
            assertThat(noisy.get("/api/v1/leads").status()).as("reads are not limited").isEqualTo(200);
        } finally {
            flooding.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(leadsOf(quietTenant)).isEqualTo(5);

        List<ApiClient.Response> refused = noisyAnswers.stream().filter(r -> r.status() == 429).toList();
        List<ApiClient.Response> accepted = noisyAnswers.stream().filter(r -> r.status() == 201).toList();
        assertThat(accepted.size() + refused.size()).isEqualTo(noisyAnswers.size());
        assertThat(refused).allSatisfy(r -> {
            assertError(r, 429, "too many requests", "tenant_id");
            assertThat(Integer.parseInt(r.header("Retry-After"))).isBetween(1, 2);
        });
        String noisyTenant = accepted.get(0).json().get("tenant_id").asText();
        // nothing written for a refused request
        assertThat(leadsOf(noisyTenant)).isEqualTo(accepted.size());
        // and the noisy tenant is served again once it waits as told
        await().atMost(Duration.ofSeconds(5)).until(() -> noisy.postJson("/api/v1/leads", lead("")).status() == 201);
    }

    @Test
    void probesNeedNoCredentialAndOnlyHealthInfoAndPrometheusAreExposed() {
        ApiClient management = new ApiClient(managementPort).withoutCredential();
        assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(management.get("/actuator/health").status()).isIn(200, 503);
        assertThat(management.get("/actuator/info").status()).isEqualTo(200);
        assertThat(management.get("/actuator/prometheus").status()).isEqualTo(200);
        for (String hidden : List.of("/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/heapdump",
                "/actuator/loggers", "/actuator/mappings", "/actuator/threaddump", "/actuator/shutdown")) {
            assertThat(management.get(hidden).status()).as(hidden).isEqualTo(404);
        }
        // the API's port serves no actuator at all, and its OpenAPI document stays readable
        assertThat(api().withoutCredential().get("/actuator/health").status()).isEqualTo(404);
        assertThat(api().withoutCredential().get("/openapi.json").status()).isEqualTo(200);
    }

    private static RSAPublicKey publicKeyOf(RSAPrivateKey key) throws Exception {
        var crt = (java.security.interfaces.RSAPrivateCrtKey) key;
        return (RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new java.security.spec.RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
    }
}
