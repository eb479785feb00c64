package io.leadai.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.leadai.pipeline.testinfra.DeployedLayout;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.kafka.yml and the Dockerfile, checked without a Docker engine: the compose file parses, the
 * services the application's configuration points at exist with the ports and settings it expects, and every
 * image is pinned.
 */
class ComposeFileTest {

    private static final List<String> TOPICS =
            List.of("lead.created", "lead.message", "ai.process.request", "ai.process.result", "ai.error");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(Path.of("docker-compose.kafka.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertThat(services).as("services").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) throws IOException {
        return (Map<String, String>) service(name).get("environment");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyImageIsPinned() throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        services.forEach((name, definition) -> {
            if (((Map<String, Object>) definition).containsKey("build")) {
                return; // built from this repository, not pulled
            }
            Object image = ((Map<String, Object>) definition).get("image");
            assertThat(image).as(name + " image").isNotNull();
            assertThat(image.toString()).as(name).matches("[^:]+:[^:]*\\d[^:]*").doesNotEndWith(":latest");
        });
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            if (line.startsWith("FROM ")) {
                assertThat(line).as("Dockerfile").matches("FROM [^:]+:\\S*\\d\\S*( AS \\w+)?");
            }
        }
    }

    @Test
    void theApplicationReachesKafkaOnAnAdvertisedListener() throws IOException {
        String brokers = environment("app").get("KAFKA_BROKERS");
        String advertised = environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        assertThat(advertised).contains("//" + brokers);
        assertThat(environment("kafka-ui").get("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS")).isEqualTo(brokers);
        assertThat(environment("kafka").get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    }

    @Test
    void theApplicationReachesPostgresWithItsDatabaseAndCredentials() throws IOException {
        Map<String, String> app = environment("app");
        Map<String, String> postgres = environment("postgres");
        Matcher url = Pattern.compile("jdbc:postgresql://(\\w[\\w-]*):(\\d+)/(\\w+)").matcher(app.get("DATABASE_URL"));
        assertThat(url.matches()).isTrue();
        service(url.group(1));
        assertThat(url.group(2)).isEqualTo("5432");
        assertThat(url.group(3)).isEqualTo(postgres.get("POSTGRES_DB"));
        // Flyway as the owner (the superuser here), the application as the login the init script creates
        assertThat(app.get("DATABASE_MIGRATION_USERNAME")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(app.get("DATABASE_MIGRATION_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(app.get("DATABASE_USERNAME")).isEqualTo(postgres.get("APP_DATABASE_USERNAME"))
                .isNotEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(app.get("DATABASE_PASSWORD")).isEqualTo(postgres.get("APP_DATABASE_PASSWORD"));
        @SuppressWarnings("unchecked")
        List<String> volumes = (List<String>) service("postgres").get("volumes");
        String init = volumes.stream().filter(v -> v.contains("/docker-entrypoint-initdb.d/")).findFirst().orElseThrow();
        String script = Files.readString(Path.of(init.substring(0, init.indexOf(':'))));
        assertThat(script).contains("$APP_DATABASE_USERNAME", "$APP_DATABASE_PASSWORD", "NOINHERIT",
                "GRANT leadai_pipeline TO");
    }

    @Test
    @SuppressWarnings("unchecked")
    void topicsAreCreatedWithThePartitionsTheApplicationExpects() throws IOException {
        String init = String.join("\n", (List<String>) service("kafka-init").get("command"));
        for (String topic : TOPICS) {
            assertThat(init).contains(topic);
        }
        assertThat(init).contains("--partitions " + environment("app").get("KAFKA_TOPIC_PARTITIONS"));
        assertThat(environment("app").get("KAFKA_CREATE_TOPICS")).isEqualTo("false");
    }

    @Test
    void theAiServicesTheApplicationCallsAreServedWhereItLooks() throws IOException {
        Map<String, String> app = environment("app");
        assertThat(app.get("REFERENCE_AI_ENABLED")).isEqualTo("true");
        String port = app.get("REFERENCE_AI_PORT");
        assertThat(app.get("AI_INTENT_URL")).isEqualTo("http://localhost:" + port + "/intent");
        assertThat(app.get("AI_ENTITY_URL")).isEqualTo("http://localhost:" + port + "/entities");
    }

    @Test
    @SuppressWarnings("unchecked")
    void startUpWaitsForHealthyDependencies() throws IOException {
        for (String name : List.of("kafka", "postgres", "app")) {
            assertThat(service(name)).as(name).containsKey("healthcheck");
        }
        Map<String, Map<String, String>> dependsOn = (Map<String, Map<String, String>>) service("app").get("depends_on");
        assertThat(dependsOn.get("kafka").get("condition")).isEqualTo("service_healthy");
        assertThat(dependsOn.get("postgres").get("condition")).isEqualTo("service_healthy");
        assertThat(dependsOn.get("kafka-init").get("condition")).isEqualTo("service_completed_successfully");
    }

    @Test
    void theImageRunsAsANonRootUserWithRoutesOnDisk() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile.lines().filter(l -> l.startsWith("FROM "))).hasSize(2);
        assertThat(dockerfile).containsPattern("(?m)^USER 10001");
        assertThat(dockerfile).contains("COPY routes/ routes/", "file:/deployments/routes/*.camel.yaml",
                "MaxRAMPercentage");
    }

    @Test
    void theImageRunsTheTestedBytecodeOnAJreNoOlderThanIt() throws IOException {
        // the build stage compiles what the tests compile (maven.compiler.release); the run stage's JRE may be newer
        // (docs/performance.md: 25 compiles less under load), never older
        String release = Files.readString(Path.of("pom.xml"))
                .replaceAll("(?s).*<maven\\.compiler\\.release>(\\d+)</maven\\.compiler\\.release>.*", "$1");
        List<String> stages = Files.readString(Path.of("Dockerfile")).lines()
                .filter(l -> l.startsWith("FROM ")).toList();
        Matcher build = Pattern.compile("FROM eclipse-temurin:(\\d+)\\S*-jdk-\\S+ AS build").matcher(stages.get(0));
        Matcher run = Pattern.compile("FROM eclipse-temurin:(\\d+)\\S*-jre-\\S+").matcher(stages.get(1));
        assertThat(build.matches()).as(stages.get(0)).isTrue();
        assertThat(run.matches()).as(stages.get(1)).isTrue();
        assertThat(Integer.parseInt(build.group(1))).as("the build stage's JDK").isEqualTo(Integer.parseInt(release));
        assertThat(Integer.parseInt(run.group(1))).as("the run stage's JRE")
                .isGreaterThanOrEqualTo(Integer.parseInt(release));
    }

    @Test
    void theImageStartsAsTheTestsStartTheApplication() throws IOException {
        // the tests start the application as the image does (DeployedLayout): extracted, with a class data sharing
        // archive from a training start with the same settings
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertThat(dockerfile).contains("-Djarmode=tools", "extract", DeployedLayout.ARCHIVE_OPTION);
        assertThat(dockerfile).contains(DeployedLayout.TRAINING_OPTIONS);
        DeployedLayout.TRAINING_ENVIRONMENT.forEach((name, value) ->
                assertThat(dockerfile).as("the training start's %s", name).contains(name + "=" + value));
    }
}
