package io.leadai.pipeline.bench;

import static org.awaitility.Awaitility.await;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.leadai.pipeline.testinfra.JavaProcess;
import io.leadai.pipeline.testinfra.ProcessUsage;
import io.leadai.pipeline.testinfra.TestInfrastructure;

/** {@link StubAiServer} in a JVM of its own, on a free port. */
final class StubAiProcess implements AutoCloseable {

    private final JavaProcess process;
    private final int port;

    private StubAiProcess(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static StubAiProcess start(long latencyMs, Path log) {
        int port = TestInfrastructure.freePort();
        JavaProcess process = new JavaProcess("stub-ai", List.of(
                "-Xmx256m", "-XX:+UseSerialGC",
                // answers go out at once, not held back by Nagle's algorithm waiting for the client's ACK
                "-Dsun.net.httpserver.nodelay=true",
                "-cp", classesDirectory().toString(), StubAiServer.class.getName(),
                Integer.toString(port), Long.toString(latencyMs)),
                Map.of(), log);
        process.start();
        await("stub AI server listening").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    process.requireAlive();
                    return process.logTail(5).contains("listening on " + port);
                });
        return new StubAiProcess(process, port);
    }

    String intentUrl() {
        return "http://127.0.0.1:" + port + "/intent";
    }

    String entityUrl() {
        return "http://127.0.0.1:" + port + "/entities";
    }

    long pid() {
        return process.pid();
    }

    ProcessUsage usage() {
        return process.usage();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }

    /** The compiled test classes: the stub needs nothing else. */
    private static Path classesDirectory() {
        try {
            return Path.of(StubAiServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
