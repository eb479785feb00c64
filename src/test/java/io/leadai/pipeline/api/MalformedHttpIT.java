package io.leadai.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.PipelineIntegrationTest;
import io.leadai.pipeline.testinfra.TestCredentials;
import org.junit.jupiter.api.Test;

/**
 * Requests that are not valid HTTP, sent as raw bytes (an HTTP client library would not send them): Tomcat refuses
 * them before any route sees them, and each answer is a 400 in the API's JSON error shape naming the part of the
 * request that is wrong. A body cut off in the middle is such a request too: a client must be able to tell it from
 * a lead it got wrong. None of them stores anything.
 */
class MalformedHttpIT extends PipelineIntegrationTest {

    private final String tenant = "raw-" + UUID.randomUUID().toString().substring(0, 8);

    /** One raw request, whether the client half-closes after sending it, and the field its 400 must name. */
    private record Case(String name, String request, boolean halfClose, String field) {
    }

    @Test
    void requestsThatAreNotValidHttpAreRefusedNamingThePartThatIsWrongAndStoreNothing() throws IOException {
        String credential = "Authorization: Bearer " + TestCredentials.token(tenant) + "\r\n";
        String post = "POST /api/v1/leads HTTP/1.1\r\nHost: localhost\r\n" + credential
                + "Content-Type: application/json\r\nConnection: close\r\n";
        String lead = "{\"business_id\": \"shop-1\", \"initial_message\": \"I want 2 laptops\"}";
        List<Case> cases = List.of(
                new Case("chunk size that is not hex", post + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n" + lead
                        + "\r\n0\r\n\r\n", false, "body"),
                new Case("chunked body cut off", post + "Transfer-Encoding: chunked\r\n\r\n"
                        + Integer.toHexString(lead.length()) + "\r\n" + lead.substring(0, 20), true, "body"),
                new Case("body shorter than its Content-Length", post + "Content-Length: " + (lead.length() + 50)
                        + "\r\n\r\n" + lead, true, "body"),
                new Case("Content-Length not a number", post + "Content-Length: many\r\n\r\n" + lead, false,
                        "Content-Length"),
                new Case("no Host", "GET /api/v1/leads HTTP/1.1\r\n" + credential + "Connection: close\r\n\r\n", false,
                        "Host"),
                new Case("Host not a host name", "GET /api/v1/leads HTTP/1.1\r\nHost: a b\r\n" + credential
                        + "Connection: close\r\n\r\n", false, "Host"),
                new Case("header name with a space", "GET /api/v1/leads HTTP/1.1\r\nHost: localhost\r\n" + credential
                        + "Bad Header: x\r\nConnection: close\r\n\r\n", false, "headers"),
                new Case("space in the path", "GET /api/v1/le ads HTTP/1.1\r\nHost: localhost\r\n" + credential
                        + "Connection: close\r\n\r\n", false, "request line"),
                new Case("encoded slash in the path", "GET /api/v1/leads/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\n"
                        + "Host: localhost\r\n" + credential + "Connection: close\r\n\r\n", false, "path"),
                new Case("path that is not UTF-8", "GET /api/v1/leads/%ff%fe HTTP/1.1\r\nHost: localhost\r\n"
                        + credential + "Connection: close\r\n\r\n", false, "path"));

        List<String> wrong = new ArrayList<>();
        for (Case c : cases) {
            String answer = send(c.request(), c.halfClose());
            String problem = check(answer, c.field());
            if (problem != null) {
                wrong.add(c.name() + ": " + problem);
            }
        }

        assertThat(wrong).as("raw requests answered wrongly").isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE tenant_id = ?", Integer.class, tenant))
                .as("leads stored by the refused requests").isZero();
        // the same lead, sent whole, is taken
        String complete = send(post + "Content-Length: " + lead.length() + "\r\n\r\n" + lead, false);
        assertThat(complete).startsWith("HTTP/1.1 201");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM leads WHERE tenant_id = ?", Integer.class, tenant))
                .isEqualTo(1);
    }

    /** Why the raw answer is not a 400 with the API's error body naming {@code field}, or null. */
    private static String check(String answer, String field) {
        if (!answer.startsWith("HTTP/1.1 400")) {
            return "answered " + answer.lines().findFirst().orElse("nothing");
        }
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split).toLowerCase(java.util.Locale.ROOT);
        if (!head.contains("content-type: application/json")) {
            return "not JSON: " + answer;
        }
        String body = answer.substring(split + 4);
        if (head.contains("transfer-encoding: chunked")) {
            body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
        }
        JsonNode json = ApiClient.json(body);
        if (!json.path("error").asText().equals("bad request")) {
            return "error " + json.path("error") + ": " + body;
        }
        for (JsonNode detail : json.path("details")) {
            if (detail.path("field").asText().equals(field) && !detail.path("problem").asText().isBlank()) {
                return null;
            }
        }
        return "does not name " + field + ": " + body;
    }

    private String send(String request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
