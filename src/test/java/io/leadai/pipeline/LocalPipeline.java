package io.leadai.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.leadai.pipeline.security.ApiKeys;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The whole pipeline on one machine with nothing but a JDK: {@code ./mvnw spring-boot:test-run}.
 * Starts a KRaft Kafka broker in this JVM, PostgreSQL from the embedded binaries, then the application
 * with every route group and the reference AI services. Ctrl-C stops all of it.
 *
 * <p>Options, as environment variables: {@code SERVER_PORT} (8080), {@code MANAGEMENT_PORT} (8081),
 * {@code LOCAL_KAFKA_PORT} (9092), {@code LOCAL_POSTGRES_PORT} (5433), {@code LOCAL_KEEP_DATA=true} keeps the
 * database in {@code .data/} between runs (Kafka starts empty each time; unpublished outbox rows are sent again),
 * {@code LOCAL_API_KEY} the demo tenant's API key (a random one otherwise; the banner shows it).
 *
 * <p>The routes come from {@code routes/} of the working tree, and a saved route file replaces its running
 * routes (Camel route reload; {@code ROUTES_RELOAD_ENABLED=false} turns that off). With
 * {@code ROUTES_INCLUDE_PATTERN} set, the routes come from there and are not reloaded.
 */
public final class LocalPipeline {

    /** The tenant of the local run's API key. */
    static final String DEMO_TENANT = "demo";

    private LocalPipeline() {
    }

    public static void main(String[] args) throws IOException {
        int serverPort = intOption("SERVER_PORT", 8080);
        int managementPort = intOption("MANAGEMENT_PORT", 8081);
        int kafkaPort = intOption("LOCAL_KAFKA_PORT", 9092);
        int postgresPort = intOption("LOCAL_POSTGRES_PORT", 5433);
        boolean keepData = Boolean.parseBoolean(System.getenv().getOrDefault("LOCAL_KEEP_DATA", "false"));

        EmbeddedKafkaKraftBroker kafka = TestInfrastructure.startEmbeddedKafka(kafkaPort);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setPort(postgresPort);
        if (keepData) {
            Path data = Path.of(".data", "postgres").toAbsolutePath();
            Files.createDirectories(data);
            builder.setDataDirectory(data).setCleanDataDirectory(false);
        }
        EmbeddedPostgres postgres = TestInfrastructure.startEmbeddedPostgres(builder);
        TestInfrastructure.Database database = TestInfrastructure.createDatabase(
                postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", "leads");

        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.add("--server.port=" + serverPort);
        arguments.add("--management.server.port=" + managementPort);
        arguments.add("--app.kafka.brokers=" + kafka.getBrokersAsString());
        // the roles of docs/operators.md: the application logs in as leadai_app, Flyway as the owner
        arguments.add("--spring.datasource.url=" + database.url());
        arguments.add("--spring.datasource.username=" + database.username());
        arguments.add("--spring.datasource.password=" + database.password());
        arguments.add("--spring.flyway.user=" + database.migrationUsername());
        arguments.add("--spring.flyway.password=" + database.migrationPassword());
        // the reference intent and entity services, in this process, on their own port
        arguments.add("--referenceai.enabled=true");
        // the demo tenant and its API key; the application is given only the key's hash (docs/security.md)
        String apiKey = System.getenv().getOrDefault("LOCAL_API_KEY", randomApiKey());
        arguments.add("--app.security.api-keys=" + DEMO_TENANT + ":" + ApiKeys.hash(apiKey));
        Path routes = Path.of("routes").toAbsolutePath();
        boolean reload = System.getenv("ROUTES_INCLUDE_PATTERN") == null
                && Boolean.parseBoolean(System.getenv().getOrDefault("ROUTES_RELOAD_ENABLED", "true"));
        String routesShown = System.getenv("ROUTES_INCLUDE_PATTERN");
        if (routesShown == null) {
            // the files being edited, not the copies packaged on the classpath
            routesShown = "file:" + routes + "/*.camel.yaml";
            arguments.add("--camel.main.routes-include-pattern=" + routesShown);
        }
        if (reload) {
            routesShown += "  (a saved file is reloaded)";
        }
        arguments.add("--camel.main.routes-reload-enabled=" + reload);
        arguments.add("--camel.main.routes-reload-directory=" + routes);

        SpringApplication application = new SpringApplication(LeadAiPipelineApplication.class);
        application.setRegisterShutdownHook(false);
        ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the application first, so nothing it still does meets a stopped broker or database
            context.close();
            kafka.destroy();
            try {
                postgres.close();
            } catch (IOException ignored) {
                // the JVM is ending
            }
        }, "stop-local-pipeline"));

        String base = "http://localhost:" + serverPort;
        String management = "http://localhost:" + managementPort;
        System.out.printf("""

                lead-ai-pipeline is running
                  API           %s/api/v1/leads
                  OpenAPI       %s/openapi.json
                  Health        %s/actuator/health/readiness, %s/actuator/health/liveness
                                (Kafka: %s/kafka/health)
                  AI services   %s, %s
                  Kafka         %s
                  PostgreSQL    %s  (user %s, password %s)%s
                  Routes        %s
                  API key       %s  (tenant %s; header X-API-Key)
                Try:  export API_KEY=%s
                      curl -X POST %s/kafka/test -H "X-API-Key: $API_KEY" -H "Content-Type: application/json" -d '{"text":"I want to buy 2 laptops"}'
                Ctrl-C stops everything.

                """, base, base, management, management, base, context.getEnvironment().getProperty("ai.intent.url"),
                context.getEnvironment().getProperty("ai.entity.url"), kafka.getBrokersAsString(), database.url(),
                // the superuser, who sees every tenant's rows (the application's role sees one per transaction)
                database.adminUsername(), database.adminPassword(), keepData ? "\n  Data kept in  .data/postgres" : "",
                routesShown, apiKey, DEMO_TENANT, apiKey, base);
    }

    /** 256 random bits, URL-safe: what docs/security.md tells operators to hand out. */
    private static String randomApiKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    private static int intOption(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
