package io.leadai.pipeline.referenceai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.leadai.pipeline.api.ErrorBody;
import io.leadai.pipeline.api.FieldProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference intent and entity services on a port of their own ({@code referenceai.port}), speaking the
 * contracts of design.md: {@code POST /intent} with {@code {"text", "tenant_id"}} answers
 * {@code {"intent", "confidence"}}; {@code POST /entities} with {@code {"text"}} answers {@code {"entities"}}.
 * Bad input gets a 4xx with a JSON body, never a 5xx.
 */
public class ReferenceAiServer {

    private static final Logger log = LoggerFactory.getLogger(ReferenceAiServer.class);
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_TEXT_CHARS = 10_000;

    private final HttpServer server;
    private final ExecutorService workers;
    private final ObjectMapper json;

    public ReferenceAiServer(String host, int port, IntentClassifier intents, EntityExtractor entities,
                             ObjectMapper json, int threads) throws IOException {
        this.json = json;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 128);
        this.workers = Executors.newFixedThreadPool(threads);
        server.setExecutor(workers);
        server.createContext("/intent", exchange -> handle(exchange, text -> {
            IntentClassifier.Intent intent = intents.classify(text);
            return Map.of("intent", intent.intent(), "confidence", intent.confidence());
        }));
        server.createContext("/entities", exchange -> handle(exchange, text -> Map.of("entities",
                entities.extract(text).stream().map(e -> Map.of("type", e.type(), "value", e.value(),
                        "start", e.start(), "end", e.end())).toList())));
        server.createContext("/health", exchange -> respond(exchange, 200, Map.of("status", "UP")));
    }

    public void start() {
        server.start();
        log.info("Reference AI services on http://{}:{} (/intent, /entities)", server.getAddress().getHostString(),
                server.getAddress().getPort());
    }

    public void stop() {
        server.stop(1);
        workers.shutdownNow();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, Function<String, Object> service) throws IOException {
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                refuse(exchange, 405, "method not allowed", "method", "must be POST");
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
                refuse(exchange, 415, "unsupported media type", "Content-Type", "must be application/json");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                refuse(exchange, 413, "request body too large", "body", "must be at most " + MAX_BODY_BYTES + " bytes");
                return;
            }
            JsonNode request;
            try {
                request = json.readTree(body);
            } catch (JsonProcessingException e) {
                refuse(exchange, 400, "malformed JSON", "body", e.getOriginalMessage());
                return;
            }
            JsonNode text = request == null ? null : request.get("text");
            if (text == null || !text.isTextual() || text.asText().isBlank()) {
                refuse(exchange, 400, "invalid request body", "text", "must be a non-blank string");
                return;
            }
            if (text.asText().length() > MAX_TEXT_CHARS) {
                refuse(exchange, 400, "invalid request body", "text", "must be at most " + MAX_TEXT_CHARS + " characters");
                return;
            }
            respond(exchange, 200, service.apply(text.asText()));
        } catch (RuntimeException e) {
            log.error("Reference AI service failed on {}", exchange.getRequestURI(), e);
            respond(exchange, 500, new ErrorBody("internal error", List.of()));
        } finally {
            exchange.close();
        }
    }

    private void refuse(HttpExchange exchange, int status, String error, String field, String problem) throws IOException {
        respond(exchange, status, new ErrorBody(error, List.of(new FieldProblem(field, problem))));
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
