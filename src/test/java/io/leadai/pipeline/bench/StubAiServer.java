package io.leadai.pipeline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The intent and entity services for the benchmark: each answers a fixed body of its contract after a fixed
 * latency, so the figures measure the pipeline, not a model. Runs in a JVM of its own (see {@link StubAiProcess})
 * with nothing but the JDK: {@code StubAiServer <port> <latency ms>}.
 *
 * <p>A request holds no thread while it waits: its body is read, its answer is scheduled on a timer and
 * written when due, so hundreds of requests in flight cost no more than a few threads. It prints
 * {@code listening} once it accepts connections, and ends when its standard input closes (the benchmark
 * that started it ended, however it ended).
 */
public final class StubAiServer {

    static final String INTENT = "{\"intent\": \"purchase\", \"confidence\": 0.9}";
    static final String ENTITIES =
            "{\"entities\": [{\"type\": \"quantity\", \"value\": \"2\"}, {\"type\": \"product\", \"value\": \"laptop\"}]}";

    private StubAiServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long latencyMs = Long.parseLong(args[1]);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        // reading a request and scheduling its answer is short work: a few threads keep up with any rate here
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/intent", exchange -> answerLater(exchange, INTENT, latencyMs, timer));
        server.createContext("/entities", exchange -> answerLater(exchange, ENTITIES, latencyMs, timer));
        server.start();
        System.out.println("listening on " + port + ", answering after " + latencyMs + " ms");
        Thread watchdog = new Thread(() -> {
            try (InputStream parent = System.in) {
                while (parent.read() >= 0) {
                    // nothing is sent on it; end of stream means the parent is gone
                }
            } catch (IOException ignored) {
                // same as end of stream
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void answerLater(HttpExchange exchange, String body, long latencyMs, ScheduledExecutorService timer)
            throws IOException {
        try (InputStream request = exchange.getRequestBody()) {
            request.readAllBytes();
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{\"error\": \"POST only\"}");
            return;
        }
        timer.schedule(() -> answer(exchange, 200, body), latencyMs, TimeUnit.MILLISECONDS);
    }

    private static void answer(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream response = exchange.getResponseBody()) {
                response.write(bytes);
            }
        } catch (IOException e) {
            // the client gave up on this request (its timeout); it counts the failure, not the stub
        } finally {
            exchange.close();
        }
    }
}
