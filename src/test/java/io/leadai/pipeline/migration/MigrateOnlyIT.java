package io.leadai.pipeline.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.leadai.pipeline.LeadAiPipelineApplication;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's migration mode as the Kubernetes Job runs it: the application's main class with
 * {@code MIGRATE_ONLY=true}, in a process of its own, against the embedded PostgreSQL.
 */
class MigrateOnlyIT {

    private static final List<String> TABLES = List.of("leads", "lead_messages", "ai_results", "ai_errors", "outbox");

    @Test
    void migratesThenExitsWithoutWebServerOrKafkaClient(@TempDir Path logs) throws Exception {
        TestInfrastructure.Database database = TestInfrastructure.database("migrate_only_it");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // a Kafka "broker" that only counts who knocks, and the web ports taken: a web server could not start
        try (ServerSocketChannel kafka = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
             ServerSocket server = new ServerSocket(0, 50, loopback);
             ServerSocket management = new ServerSocket(0, 50, loopback);
             ServerSocket referenceAi = new ServerSocket(0, 50, loopback)) {
            Map<String, String> env = new HashMap<>(database.environment());
            // the Job migrates as the owner; of the application's credentials it needs only the role's name
            env.remove("DATABASE_PASSWORD");
            env.putAll(Map.of(
                    "MIGRATE_ONLY", "true",
                    // what the Deployments set; the migration Job must migrate all the same
                    "DATABASE_MIGRATE", "false",
                    "KAFKA_BROKERS", "127.0.0.1:" + kafka.socket().getLocalPort(),
                    "SERVER_PORT", String.valueOf(server.getLocalPort()),
                    "MANAGEMENT_PORT", String.valueOf(management.getLocalPort()),
                    "REFERENCE_AI_ENABLED", "true",
                    "REFERENCE_AI_PORT", String.valueOf(referenceAi.getLocalPort())));

            Path firstRun = logs.resolve("first.log");
            assertThat(runApplication(env, firstRun)).as(Files.readString(firstRun)).isZero();
            assertThat(tables(database)).containsAll(TABLES);
            int migrations = count(database, "SELECT count(*) FROM flyway_schema_history WHERE success");
            assertThat(migrations).isPositive();
            assertThat(Files.readString(firstRun)).contains("Successfully applied " + migrations + " migration");

            // the next release's Job, or the same one applied again: nothing to do, still exit 0
            Path secondRun = logs.resolve("second.log");
            assertThat(runApplication(env, secondRun)).as(Files.readString(secondRun)).isZero();
            assertThat(count(database, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(migrations);

            kafka.configureBlocking(false);
            assertThat(kafka.accept()).as("a connection to the Kafka brokers").isNull();
        }
    }

    @Test
    void aDatabaseThatIsNotThereFailsTheJob(@TempDir Path logs) throws Exception {
        int closedPort = TestInfrastructure.freePort();
        Path log = logs.resolve("run.log");
        int exit = runApplication(Map.of("MIGRATE_ONLY", "true",
                "DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/leads",
                "DATABASE_CONNECTION_TIMEOUT_MS", "1000"), log);
        assertThat(exit).as(Files.readString(log)).isNotZero();
    }

    /** The main class in a JVM of its own, with this test's class path; its exit code. */
    private static int runApplication(Map<String, String> env, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LeadAiPipelineApplication.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after 90 s:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    private static List<String> tables(TestInfrastructure.Database database) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database.url(), database.adminUsername(),
                database.adminPassword());
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static int count(TestInfrastructure.Database database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.url(), database.adminUsername(),
                database.adminPassword());
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
