package io.leadai.pipeline.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.leadai.pipeline.testinfra.AiServiceStubs;
import io.leadai.pipeline.testinfra.ApiClient;
import io.leadai.pipeline.testinfra.ApplicationProcess;
import io.leadai.pipeline.testinfra.KafkaProcess;
import io.leadai.pipeline.testinfra.RestartablePostgres;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.leadai.pipeline.testinfra.TestKafka;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * One fault test's pipeline: the packaged application (one or more instances, each a process of its own) on the
 * suite's Kafka broker and PostgreSQL server, which the tests stop and start, with WireMock as the AI services.
 * Each test gets a database, topics, consumer groups, a tenant and AI stubs of its own, so the tests share the
 * servers and nothing else.
 */
final class FaultPipeline implements AutoCloseable {

    /** The suite's broker, database server: started once per test run, stopped when it ends. */
    private static KafkaProcess kafka;
    private static RestartablePostgres postgres;

    private final String fault;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String tenant;
    private final AiServiceStubs stubs = new AiServiceStubs();
    private final TestInfrastructure.Database database;
    /** A connection per query: the server is stopped and started under it. */
    private final JdbcTemplate jdbc;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<Instance> instances = new ArrayList<>();
    private final Path logs;

    FaultPipeline(String fault) {
        this.fault = fault;
        this.tenant = "faults-" + run;
        this.database = postgres().database("faults_" + run);
        // the superuser: the reconciliation reads every row, which the application's role sees only per tenant
        this.jdbc = new JdbcTemplate(new DriverManagerDataSource(database.url(), database.adminUsername(),
                database.adminPassword()));
        this.logs = Path.of("target", "faults",
                fault.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + run);
        String ai = TestInfrastructure.aiServices().baseUrl();
        environment.put("KAFKA_BROKERS", kafka().bootstrapServers());
        environment.putAll(database.environment());
        environment.put("AI_INTENT_URL", ai + "/intent");
        environment.put("AI_ENTITY_URL", ai + "/entities");
        environment.put("TOPIC_LEAD_CREATED", "lead.created." + run);
        environment.put("TOPIC_LEAD_MESSAGE", "lead.message." + run);
        environment.put("TOPIC_AI_REQUEST", "ai.process.request." + run);
        environment.put("TOPIC_AI_RESULT", "ai.process.result." + run);
        environment.put("TOPIC_AI_ERROR", "ai.error." + run);
        environment.put("KAFKA_GROUP_ID", "enricher-" + run);
        environment.put("KAFKA_WRITER_GROUP_ID", "writer-" + run);
        environment.put("KAFKA_ERROR_WRITER_GROUP_ID", "error-writer-" + run);
        environment.put("KAFKA_TOPIC_PARTITIONS", "3");
        // outages are noticed, and retried, within a second or two rather than the production defaults' seconds
        environment.put("KAFKA_MAX_BLOCK_MS", "2000");
        environment.put("DATABASE_CONNECTION_TIMEOUT_MS", "1000");
        environment.put("ENRICHMENT_RETRY_BACKOFF", "500ms");
        environment.put("WRITER_RETRY_BACKOFF", "500ms");
        environment.put("OUTBOX_POLL_INTERVAL_MS", "500");
        environment.put("ROUTE_RESTART_DELAY_MS", "1000");
        environment.put("ROUTE_RESTART_MAX_DELAY_MS", "5000");
        // spans cost CPU on a shared 2-core machine and play no part in delivery
        environment.put("TRACING_ENABLED", "false");
    }

    static synchronized KafkaProcess kafka() {
        if (kafka == null) {
            kafka = KafkaProcess.start(List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true"));
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "close-fault-kafka"));
        }
        return kafka;
    }

    static synchronized RestartablePostgres postgres() {
        if (postgres == null) {
            postgres = new RestartablePostgres();
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::destroy, "destroy-fault-postgres"));
        }
        return postgres;
    }

    String tenant() {
        return tenant;
    }

    AiServiceStubs stubs() {
        return stubs;
    }

    /** An application setting for every instance started from now on. */
    FaultPipeline with(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts an instance with every route group and waits until it is ready. */
    Instance start(String name) {
        return start(name, Map.of());
    }

    /** Starts an instance with these settings on top of the pipeline's, and waits until it is ready. */
    Instance start(String name, Map<String, String> settings) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putAll(settings);
        env.put("SERVER_PORT", Integer.toString(TestInfrastructure.freePort()));
        env.put("MANAGEMENT_PORT", Integer.toString(TestInfrastructure.freePort()));
        Instance instance = new Instance(name, env, logs.resolve(name + ".log"));
        instances.add(instance);
        instance.startAgain();
        return instance;
    }

    /** Leads through this instance's API, at the suite's rate. */
    LeadStream stream(Instance through, int count, double ratePerSecond) {
        return LeadStream.start(through.api(), tenant, stubs.marker(), count, ratePerSecond);
    }

    Reconciliation reconcile(Set<String> accepted) {
        return Reconciliation.read(jdbc, tenant, accepted);
    }

    /**
     * Waits until every lead has its outcome, then until nothing is left to do (outbox published, every group's
     * lag 0) so that a late redelivery would show, and reads the reconciliation again. Returns it with the time
     * from {@code recoveryStartNanos} to the moment every lead had its outcome.
     */
    Settled awaitSettled(Set<String> accepted, long recoveryStartNanos, Duration atMost) {
        await(fault + ": every lead enriched or dead-lettered").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> reconcile(accepted).done());
        Duration recovery = Duration.ofNanos(System.nanoTime() - recoveryStartNanos);
        await(fault + ": outbox published and every consumer group caught up").atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500)).until(this::idle);
        return new Settled(reconcile(accepted), recovery);
    }

    /** No unpublished outbox row, and no group behind on its topics. */
    boolean idle() {
        TestKafka topics = new TestKafka(kafka().bootstrapServers());
        return unpublishedOutboxRows() == 0
                && topics.lag(env("KAFKA_GROUP_ID"), env("TOPIC_LEAD_CREATED")) == 0
                && topics.lag(env("KAFKA_WRITER_GROUP_ID"), env("TOPIC_AI_RESULT")) == 0
                && topics.lag(env("KAFKA_ERROR_WRITER_GROUP_ID"), env("TOPIC_AI_ERROR")) == 0;
    }

    long unpublishedOutboxRows() {
        return number("SELECT count(*) FROM outbox WHERE published_at IS NULL");
    }

    long storedResults() {
        return number("SELECT count(*) FROM ai_results");
    }

    String env(String name) {
        return environment.get(name);
    }

    /**
     * Prints the test's line of the suite's table and appends it to {@code target/faults/summary.md}, then asserts
     * the reconciliation: every accepted lead enriched or dead-lettered once, none lost, no duplicate row.
     */
    void report(int eventsSent, Settled settled, String notes) {
        Reconciliation r = settled.reconciliation();
        String line = "| %s | %d | %d | %d | %d | %d | %.1f s | %s |".formatted(fault, eventsSent, r.enriched(),
                r.deadLettered(), r.lost(), r.duplicateRows(), settled.recovery().toMillis() / 1000.0, notes);
        System.out.println("FAULT " + line);
        try {
            Files.createDirectories(Path.of("target", "faults"));
            Files.writeString(Path.of("target", "faults", "summary.md"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(r.lost()).as("lost: %s", r).isZero();
        assertThat(r.duplicateRows()).as("duplicate rows: %s", r).isZero();
        assertThat(r.inconsistent()).as("inconsistent: %s", r).isZero();
        assertThat(r.settled()).as("%s", r).isTrue();
    }

    private long number(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    /** Stops every instance (SIGTERM) and removes the stubs; the database and topics stay for a post-mortem. */
    @Override
    public void close() {
        instances.forEach(Instance::stop);
        stubs.close();
    }

    /** What a test reads at its end: the reconciliation, and how long the pipeline took to get there. */
    record Settled(Reconciliation reconciliation, Duration recovery) {
    }

    /** One application instance: its process, started again on the same ports and settings after a stop or kill. */
    static final class Instance {

        private final String name;
        private final Map<String, String> environment;
        private final Path log;
        private ApplicationProcess process;

        private Instance(String name, Map<String, String> environment, Path log) {
            this.name = name;
            this.environment = environment;
            this.log = log;
        }

        /** Starts the process and waits until its readiness probe answers 200. */
        void startAgain() {
            process = ApplicationProcess.start(environment, List.of("-Xmx512m", "-XX:+UseSerialGC",
                    // C1 only: half the CPU to start, which the tests spend often on two shared cores
                    "-XX:TieredStopAtLevel=1"), log);
            try {
                process.awaitReady(Duration.ofMinutes(3));
            } catch (RuntimeException e) {
                process.kill();
                throw new IllegalStateException(name + " did not get ready; see " + log, e);
            }
        }

        /** SIGTERM; how long the instance took to end. */
        Duration stop() {
            return process == null ? Duration.ZERO : process.stop();
        }

        /** SIGKILL. */
        void kill() {
            process.kill();
        }

        ApiClient api() {
            return new ApiClient(Integer.parseInt(environment.get("SERVER_PORT")));
        }

        int managementPort() {
            return Integer.parseInt(environment.get("MANAGEMENT_PORT"));
        }

        Path log() {
            return log;
        }
    }
}
