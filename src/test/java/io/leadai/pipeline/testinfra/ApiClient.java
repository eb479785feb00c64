package io.leadai.pipeline.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The API as a client sees it: real HTTP requests, JSON answers, with a credential on every request.
 *
 * <p>By default each request carries a JWT of the tenant it names ({@code tenant_id} in the query, else in the
 * body, else {@link TestCredentials#DEFAULT_TENANT}), signed by the test issuer the application trusts (see
 * {@link TestCredentials}), so tests that make up tenants need nothing more. {@link #asTenant}, {@link #withApiKey},
 * {@link #withBearer} and {@link #withoutCredential} fix the credential instead. A request that already carries
 * {@code X-API-Key} or {@code Authorization} is sent as it is.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BODY_TENANT = Pattern.compile("\"tenant_id\"\\s*:\\s*\"([^\"\\\\]*)\"");
    private static final Pattern VALID_TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    /** The credential header (name, value) for a request naming this tenant (null: none); null: none at all. */
    private final Function<String, String[]> credential;

    public ApiClient(int port) {
        this(port, tenant -> bearer(TestCredentials.token(tenant)));
    }

    private ApiClient(int port, Function<String, String[]> credential) {
        this.base = "http://localhost:" + port;
        this.credential = credential;
    }

    /** Every request with a JWT of this tenant, whatever the request names. */
    public ApiClient asTenant(String tenant) {
        return new ApiClient(port(), named -> bearer(TestCredentials.token(tenant)));
    }

    /** Every request with this API key ({@code X-API-Key}). */
    public ApiClient withApiKey(String key) {
        return new ApiClient(port(), named -> new String[] {"X-API-Key", key});
    }

    /** Every request with this bearer token. */
    public ApiClient withBearer(String token) {
        return new ApiClient(port(), named -> bearer(token));
    }

    /** Requests without any credential. */
    public ApiClient withoutCredential() {
        return new ApiClient(port(), named -> null);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response postJson(String path, String json) {
        return post(path, "application/json", json);
    }

    public Response post(String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        String tenant = tenantInQuery(URI.create(base + path));
        if (tenant == null && body != null) {
            Matcher named = BODY_TENANT.matcher(body);
            tenant = named.find() ? named.group(1) : null;
        }
        return send(request, tenant);
    }

    public Response send(HttpRequest.Builder request) {
        return send(request, null);
    }

    private Response send(HttpRequest.Builder request, String bodyTenant) {
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        HttpRequest.Builder withCredential = HttpRequest.newBuilder(built, (name, value) -> true);
        boolean hasCredential = built.headers().firstValue("X-API-Key").isPresent()
                || built.headers().firstValue("Authorization").isPresent();
        if (!hasCredential) {
            String tenant = tenantInQuery(built.uri());
            String[] header = credential.apply(valid(tenant != null ? tenant : bodyTenant));
            if (header != null) {
                withCredential.header(header[0], header[1]);
            }
        }
        try {
            HttpResponse<String> response = http.send(withCredential.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a lead of the tenant with this first message; its {@code lead_id}. */
    public String createLead(String tenant, String message) {
        Response created = postJson("/api/v1/leads", """
                {"tenant_id": "%s", "business_id": "b-1", "initial_message": "%s"}""".formatted(tenant, message));
        if (created.status() != 201) {
            throw new AssertionError("lead not created: " + created);
        }
        return created.json().get("lead_id").asText();
    }

    /** The lead's {@code status}: new, enriching, enriched or ai_failed. */
    public String leadStatus(String tenant, String leadId) {
        return get("/api/v1/leads/" + leadId + "?tenant_id=" + tenant).json().get("status").asText();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private int port() {
        return URI.create(base).getPort();
    }

    private static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    /** A tenant a token can name; a request naming a malformed one is sent as the default tenant's. */
    private static String valid(String tenant) {
        return tenant != null && VALID_TENANT.matcher(tenant).matches() ? tenant : TestCredentials.DEFAULT_TENANT;
    }

    private static String tenantInQuery(URI uri) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("tenant_id=")) {
                try {
                    return URLDecoder.decode(pair.substring("tenant_id=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** An HTTP answer; {@link #json()} parses its body. */
    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public JsonNode json() {
            return ApiClient.json(raw.body());
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
