package io.leadai.pipeline.testinfra;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.util.FileSystemUtils;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in a JVM of its own, on loopback: what the
 * benchmark measures against, and what a test stops, kills and starts again. Stopping and starting keeps
 * its ports and its data directory, like a broker restart in production.
 *
 * <p>The broker's classpath is resolved by the build from {@code bench/kafka-broker/pom.xml} (which names the
 * Kafka version) into the file named by the system property {@code kafka.broker.classpath} (default
 * {@code target/kafka-broker.classpath}); it cannot share the tests' classpath, where Spring Boot manages an
 * older kafka-clients.
 */
public final class KafkaProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final JavaProcess process;

    private KafkaProcess(Path directory, int port, int controllerPort, List<String> jvmOptions) {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
        String classpath = classpath();
        writeConfiguration();
        format(classpath);
        this.process = new JavaProcess("kafka-broker", concat(jvmOptions, List.of(
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"),
                "-cp", classpath, "kafka.Kafka", directory.resolve("server.properties").toString())),
                Map.of(), directory.resolve("broker.out"));
    }

    /** A new broker on free ports, with its data in a new temporary directory; returns once it answers. */
    public static KafkaProcess start() {
        // the heap and GC of Kafka's own start script (kafka-server-start.sh)
        return start(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent", "-Djava.awt.headless=true"));
    }

    public static KafkaProcess start(List<String> jvmOptions) {
        try {
            Path directory = Files.createTempDirectory("kafka-broker");
            KafkaProcess kafka = new KafkaProcess(directory, TestInfrastructure.freePort(),
                    TestInfrastructure.freePort(), jvmOptions);
            kafka.startAgain();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker again on the same ports and data; returns once it answers. */
    public void startAgain() {
        process.start();
        awaitAnswering();
    }

    /** A controlled shutdown (SIGTERM): the broker closes its logs cleanly. Returns how long it took. */
    public Duration stop() {
        return process.stop(Duration.ofSeconds(30));
    }

    /** SIGKILL: the broker dies without closing anything, as in a crash. */
    public void kill() {
        process.kill();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessUsage usage() {
        return process.usage();
    }

    public Path directory() {
        return directory;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        stop();
        FileSystemUtils.deleteRecursively(directory.toFile());
    }

    private void awaitAnswering() {
        // the port first: an admin client polling a closed port logs a warning every few milliseconds
        await("Kafka listening on " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    process.requireAlive();
                    return accepts(port);
                });
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            await("Kafka answering on " + port).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        process.requireAlive();
                        return answers(admin);
                    });
        }
    }

    private static boolean answers(Admin admin) throws InterruptedException {
        try {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void writeConfiguration() {
        String logs = directory.resolve("logs").toString();
        write("server.properties", """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                # one node: every internal topic has one replica
                offsets.topic.replication.factor=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # a consumer group forms at once instead of waiting 3 s for more members
                group.initial.rebalance.delay.ms=0
                # topics are created by the application (or the test), as in production
                auto.create.topics.enable=false
                """.formatted(port, controllerPort, logs));
        write("log4j2.properties", """
                rootLogger.level=INFO
                rootLogger.appenderRef.file.ref=file
                appender.file.type=File
                appender.file.name=file
                appender.file.fileName=%s
                appender.file.layout.type=PatternLayout
                appender.file.layout.pattern=[%%d] %%p %%m (%%c)%%n
                # one line per partition and request at INFO: only what goes wrong
                logger.kafka.name=kafka
                logger.kafka.level=WARN
                logger.apache.name=org.apache.kafka
                logger.apache.level=WARN
                logger.started.name=kafka.server.KafkaRaftServer
                logger.started.level=INFO
                """.formatted(directory.resolve("broker.log")));
    }

    private void format(String classpath) {
        JavaProcess storageTool = new JavaProcess("kafka-storage-format", List.of(
                "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"),
                "-cp", classpath, "kafka.tools.StorageTool", "format",
                // one argument with '=': an id may start with '-', which would read as an option (1 in 64)
                "--cluster-id=" + clusterId(), "--config", directory.resolve("server.properties").toString()),
                Map.of(), directory.resolve("format.out"));
        storageTool.start();
        if (storageTool.awaitExit(Duration.ofSeconds(60)) != 0) {
            throw new IllegalStateException("Kafka storage format failed:\n" + storageTool.logTail(20));
        }
    }

    /** A KRaft cluster id: 16 random bytes, base64url without padding, as kafka-storage random-uuid makes. */
    private static String clusterId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static String classpath() {
        Path file = Path.of(System.getProperty("kafka.broker.classpath", "target/kafka-broker.classpath"));
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no Kafka broker classpath at " + file.toAbsolutePath()
                    + ": the build writes it before the integration tests (./mvnw verify)", e);
        }
    }

    private void write(String name, String content) {
        try {
            Files.writeString(directory.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }
}
