package io.leadai.pipeline.deploy;

import static io.leadai.pipeline.deploy.Kustomize.containers;
import static io.leadai.pipeline.deploy.Kustomize.maps;
import static io.leadai.pipeline.deploy.Kustomize.metadata;
import static io.leadai.pipeline.deploy.Kustomize.name;
import static io.leadai.pipeline.deploy.Kustomize.podSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PackageScanResourceResolver;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.convert.DurationStyle;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests (k8s/), every overlay rendered ({@code kubectl kustomize} where kubectl is installed,
 * else {@link Kustomize}) and checked against the application: environment variables it reads, its management
 * port and probe groups, the route files each group loads and what they need, topics and consumer groups,
 * the image's user, Secrets by reference, one migration run, a NetworkPolicy per group.
 */
class KubernetesManifestsTest {

    private static final Path ROUTES = Path.of("routes");
    private static final Path APPLICATION_YAML = Path.of("src/main/resources/application.yaml");
    private static final String ROUTES_MOUNT = "/deployments/routes";
    private static final List<String> GROUPS = List.of("api", "enricher", "writer");
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    private static final Pattern SECRET_NAME = Pattern.compile("PASSWORD|SECRET|TOKEN|JAAS|CREDENTIAL");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    private static List<Map<String, Object>> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> {
            Path dir = Path.of("k8s/overlays", o);
            return Kustomize.kubectl(dir).orElseGet(() -> Kustomize.render(dir));
        });
    }

    // ---- rendering ----

    @Test
    void theParserRendersWhatKubectlRenders() {
        for (String overlay : List.of("local", "production")) {
            Path dir = Path.of("k8s/overlays", overlay);
            Optional<List<Map<String, Object>>> kubectl = Kustomize.kubectl(dir);
            Assumptions.assumeTrue(kubectl.isPresent(), "kubectl is not installed; the parser stands alone");
            assertThat(Kustomize.render(dir)).as(overlay).containsExactlyInAnyOrderElementsOf(kubectl.get());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void eachGroupHasItsDeploymentAndOneMigrationJobMigrates(String overlay) {
        List<Map<String, Object>> resources = rendered(overlay);
        assertThat(appWorkloads(resources, "Deployment").stream().map(KubernetesManifestsTest::group))
                .containsExactlyInAnyOrderElementsOf(GROUPS);
        for (Map<String, Object> deployment : appWorkloads(resources, "Deployment")) {
            assertThat(env(resources, deployment)).as(name(deployment)).containsEntry("DATABASE_MIGRATE", "false")
                    // the owner's credentials are the migration's alone
                    .doesNotContainKeys("MIGRATE_ONLY", "DATABASE_MIGRATION_USERNAME", "DATABASE_MIGRATION_PASSWORD");
        }
        List<Map<String, Object>> jobs = appWorkloads(resources, "Job");
        assertThat(jobs).hasSize(1);
        Map<String, String> jobEnv = env(resources, jobs.get(0));
        // Flyway as the owner; of the application's role only its name, which the migrations grant to
        assertThat(jobEnv).containsEntry("MIGRATE_ONLY", "true").containsKeys("DATABASE_URL", "DATABASE_USERNAME",
                "DATABASE_MIGRATION_USERNAME", "DATABASE_MIGRATION_PASSWORD").doesNotContainKey("DATABASE_PASSWORD");
        // the same release migrates that runs
        Set<Object> images = appWorkloads(resources, null).stream()
                .map(w -> appContainer(w).get("image")).collect(Collectors.toSet());
        assertThat(images).hasSize(1);
    }

    // ---- environment ----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyEnvironmentVariableIsOneTheApplicationReads(String overlay) throws IOException {
        List<Map<String, Object>> resources = rendered(overlay);
        Set<String> read = applicationEnvNames();
        String operatorsGuide = Files.readString(Path.of("docs/operators.md"));
        Set<String> springProperties = springBootEnvNames();
        for (Map<String, Object> workload : appWorkloads(resources, null)) {
            Map<String, Object> container = appContainer(workload);
            Set<String> composedFrom = new HashSet<>();
            List<String> defined = new ArrayList<>(configMapEnv(resources, container).keySet());
            for (Map<String, Object> variable : maps(container.get("env"))) {
                String value = (String) variable.get("value");
                if (value != null) {
                    Matcher reference = ENV_REFERENCE.matcher(value);
                    while (reference.find()) {
                        // Kubernetes expands $(NAME) only from variables defined before this one
                        assertThat(defined).as(name(workload) + " " + variable.get("name") + " refers to")
                                .contains(reference.group(1));
                        composedFrom.add(reference.group(1));
                    }
                }
                defined.add((String) variable.get("name"));
            }
            for (String variable : env(resources, workload).keySet()) {
                if (read.contains(variable) || composedFrom.contains(variable)) {
                    continue;
                }
                // else a Spring Boot property by relaxed binding, named in the operator guide
                assertThat(springProperties).as(name(workload) + ": " + variable
                        + " is neither in application.yaml nor a Spring Boot property").contains(variable);
                assertThat(operatorsGuide).as(variable + " in docs/operators.md").contains(variable);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void secretsAreReferencedNeverWrittenDown(String overlay) throws IOException {
        List<Map<String, Object>> resources = rendered(overlay);
        assertThat(resources).as("Secrets are created by the operator, not shipped")
                .noneMatch(r -> "Secret".equals(r.get("kind")));
        for (Map<String, Object> configMap : ofKind(resources, "ConfigMap")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) configMap.get("data");
            assertThat(data.keySet()).as(name(configMap)).noneMatch(key -> SECRET_NAME.matcher(key).find());
        }
        Set<String> secrets = new TreeSet<>();
        for (Map<String, Object> workload : resources) {
            for (Map<String, Object> container : containers(workload)) {
                Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
                maps(container.get("env")).forEach(v -> variables.put((String) v.get("name"), v));
                variables.forEach((variable, definition) -> {
                    if (definition.get("valueFrom") instanceof Map<?, ?> from
                            && from.get("secretKeyRef") instanceof Map<?, ?> ref) {
                        secrets.add((String) ref.get("name"));
                    } else if (SECRET_NAME.matcher(variable).find()) {
                        // a composed value (a JAAS line) may only take its secrets from Secret-backed variables
                        String value = String.valueOf(definition.get("value"));
                        assertThat(value).as(name(workload) + " " + variable).contains("$(");
                        assertThat(value.replaceAll("\\$\\([A-Z0-9_]+\\)", "")).as(variable)
                                .doesNotContainPattern("password=\"[^\"]+\"");
                        Matcher reference = ENV_REFERENCE.matcher(value);
                        while (reference.find()) {
                            Map<String, Object> source = variables.get(reference.group(1));
                            if (SECRET_NAME.matcher(reference.group(1)).find()) {
                                assertThat(source).as(reference.group(1)).containsKey("valueFrom");
                            }
                        }
                    }
                });
            }
            if (Kustomize.containers(workload).isEmpty()) {
                continue;
            }
            maps(podSpec(workload).get("volumes")).stream()
                    .filter(v -> v.get("secret") instanceof Map)
                    .forEach(v -> secrets.add((String) ((Map<?, ?>) v.get("secret")).get("secretName")));
        }
        for (Map<String, Object> authentication : ofKind(resources, "TriggerAuthentication")) {
            maps(spec(authentication).get("secretTargetRef")).forEach(r -> secrets.add((String) r.get("name")));
        }
        String guide = Files.readString(Path.of("docs/operators.md"));
        assertThat(secrets).as("referenced Secrets").isNotEmpty()
                .allSatisfy(secret -> assertThat(guide).as("docs/operators.md names " + secret).contains(secret));
    }

    // ---- probes, ports, shutdown ----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void probesAskTheActuatorOnTheManagementPort(String overlay) {
        Optional<String> managementPort = applicationValue("management.server.port", Map.of());
        Assumptions.assumeTrue(managementPort.isPresent(), "application.yaml sets no management.server.port yet");
        assertThat(applicationValue("management.endpoint.health.probes.enabled", Map.of())).contains("true");
        List<Map<String, Object>> resources = rendered(overlay);
        for (Map<String, Object> deployment : appWorkloads(resources, "Deployment")) {
            Map<String, Object> container = appContainer(deployment);
            Map<String, String> env = env(resources, deployment);
            int port = Integer.parseInt(applicationValue("management.server.port", env).orElseThrow());
            assertThat(probe(container, "startupProbe")).isEqualTo("/actuator/health/liveness@" + port);
            assertThat(probe(container, "livenessProbe")).isEqualTo("/actuator/health/liveness@" + port);
            assertThat(probe(container, "readinessProbe")).isEqualTo("/actuator/health/readiness@" + port);
            assertThat(portNumber(container, "http"))
                    .isEqualTo(Integer.parseInt(applicationValue("server.port", env).orElseThrow()));
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) ((Map<String, Object>) template(deployment)
                    .get("metadata")).get("annotations");
            assertThat(annotations).containsEntry("prometheus.io/port", String.valueOf(port))
                    .containsEntry("prometheus.io/path", "/actuator/prometheus");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void terminationGraceOutlastsTheApplicationsShutdown(String overlay) {
        Assumptions.assumeTrue(applicationEnvNames().contains("SHUTDOWN_TIMEOUT"),
                "application.yaml reads no SHUTDOWN_TIMEOUT yet");
        List<Map<String, Object>> resources = rendered(overlay);
        for (Map<String, Object> deployment : appWorkloads(resources, "Deployment")) {
            Duration shutdown = DurationStyle.detectAndParse(Optional.ofNullable(env(resources, deployment)
                    .get("SHUTDOWN_TIMEOUT")).orElse(applicationDefault("SHUTDOWN_TIMEOUT")));
            long preStop = preStopSeconds(appContainer(deployment));
            int grace = (Integer) podSpec(deployment).get("terminationGracePeriodSeconds");
            // the HTTP phase and then Camel's may each take the whole shutdown timeout
            assertThat(Duration.ofSeconds(grace)).as(name(deployment))
                    .isGreaterThan(shutdown.multipliedBy(2).plusSeconds(preStop));
        }
    }

    // ---- images and security ----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyImageIsPinned(String overlay) {
        for (Map<String, Object> workload : rendered(overlay)) {
            for (Map<String, Object> container : containers(workload)) {
                String image = (String) container.get("image");
                assertThat(image).as(name(workload)).matches(".+(:[\\w][\\w.-]*|@sha256:[0-9a-f]{64})$")
                        .doesNotEndWith(":latest");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void podsRunAsTheImagesUserOnAReadOnlyRoot(String overlay) throws IOException {
        Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(user.find()).isTrue();
        for (Map<String, Object> workload : appWorkloads(rendered(overlay), null)) {
            Map<String, Object> pod = podSpec(workload);
            @SuppressWarnings("unchecked")
            Map<String, Object> podSecurity = (Map<String, Object>) pod.get("securityContext");
            assertThat(podSecurity).as(name(workload)).containsEntry("runAsNonRoot", true)
                    .containsEntry("runAsUser", Integer.parseInt(user.group(1)));
            assertThat(pod).containsEntry("automountServiceAccountToken", false);
            Map<String, Object> container = appContainer(workload);
            @SuppressWarnings("unchecked")
            Map<String, Object> security = (Map<String, Object>) container.get("securityContext");
            assertThat(security).as(name(workload)).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false);
            assertThat(security.get("capabilities")).isEqualTo(Map.of("drop", List.of("ALL")));
            // the JVM and Tomcat still need a writable temporary directory
            assertThat(mountedVolumes(container)).containsKey("/tmp");
            assertThat(volume(workload, mountedVolumes(container).get("/tmp"))).containsKey("emptyDir");
            assertThat(container).containsKey("resources");
        }
    }

    // ---- route groups ----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theRoutesConfigMapIsTheRoutesDirectory(String overlay) throws IOException {
        List<Map<String, Object>> resources = rendered(overlay);
        Map<String, Object> routes = ofKind(resources, "ConfigMap").stream()
                .filter(c -> name(c).equals("lead-ai-pipeline-routes")).findFirst().orElseThrow();
        Map<String, String> files = new LinkedHashMap<>();
        for (Path file : routeFiles()) {
            files.put(file.getFileName().toString(), Files.readString(file));
        }
        assertThat(routes.get("data")).as("every file of routes/, unchanged").isEqualTo(files);
        for (Map<String, Object> deployment : appWorkloads(resources, "Deployment")) {
            String volume = mountedVolumes(appContainer(deployment)).get(ROUTES_MOUNT);
            assertThat(volume).as(name(deployment) + " mounts the routes").isNotNull();
            assertThat(volume(deployment, volume)).containsEntry("configMap", Map.of("name", "lead-ai-pipeline-routes"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void eachGroupLoadsExistingRouteFilesWithEverythingTheyCall(String overlay) throws IOException {
        Map<String, String> definedIn = new HashMap<>();
        for (Path file : routeFiles()) {
            definedIn.putAll(definitions(file).stream().collect(Collectors.toMap(d -> d, d -> file.toString())));
        }
        Set<Path> loadedByAnyGroup = new HashSet<>();
        for (Map<String, Object> deployment : appWorkloads(rendered(overlay), "Deployment")) {
            Set<Path> files = groupFiles(env(rendered(overlay), deployment).get("ROUTES_INCLUDE_PATTERN"));
            assertThat(files).as(group(deployment) + " loads its own files")
                    .anyMatch(f -> f.getFileName().toString().startsWith(group(deployment) + "-"))
                    .allMatch(f -> f.getFileName().toString().startsWith(group(deployment) + "-")
                            || f.getFileName().toString().startsWith("shared-"));
            loadedByAnyGroup.addAll(files);
            Set<String> defined = new HashSet<>();
            Set<String> needed = new HashSet<>();
            for (Path file : files) {
                defined.addAll(definitions(file));
                needed.addAll(references(file));
            }
            needed.removeIf(reference -> !definedIn.containsKey(reference)); // e.g. endpoints of a template
            assertThat(defined).as(group(deployment) + " needs what it calls: " + needed.stream()
                    .filter(n -> !defined.contains(n)).map(definedIn::get).collect(Collectors.toSet()))
                    .containsAll(needed);
        }
        assertThat(loadedByAnyGroup).as("no route file runs in no group").containsExactlyInAnyOrderElementsOf(routeFiles());
    }

    /** Camel's own scan of a ConfigMap volume (timestamped directory, ..data link, a link per file). */
    @Test
    void camelFindsEachGroupsFilesOnceInAConfigMapVolume(@TempDir Path mount) throws Exception {
        Path data = Files.createDirectory(mount.resolve("..2025_01_01_00_00_00.000000001"));
        Files.createSymbolicLink(mount.resolve("..data"), data.getFileName());
        for (Path file : routeFiles()) {
            Files.copy(file, data.resolve(file.getFileName()));
            Files.createSymbolicLink(mount.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
        }
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PackageScanResourceResolver resolver = PluginHelper.getPackageScanResourceResolver(camel);
            for (Map<String, Object> deployment : appWorkloads(rendered("production"), "Deployment")) {
                String patterns = env(rendered("production"), deployment).get("ROUTES_INCLUDE_PATTERN");
                List<String> found = new ArrayList<>();
                for (String pattern : patterns.split(",")) {
                    Collection<Resource> resources =
                            resolver.findResources(pattern.replace("file:" + ROUTES_MOUNT, "file:" + mount));
                    resources.forEach(r -> found.add(Path.of(URI.create(r.getLocation()).getSchemeSpecificPart())
                            .getFileName().toString()));
                }
                assertThat(found).as(group(deployment)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                        groupFiles(patterns).stream().map(p -> p.getFileName().toString()).toList());
            }
        }
    }

    // ---- scaling ----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kedaWatchesTheTopicsAndGroupsTheRoutesConsume(String overlay) throws IOException {
        List<Map<String, Object>> resources = rendered(overlay);
        List<Map<String, Object>> scaledObjects = ofKind(resources, "ScaledObject");
        for (Map<String, Object> deployment : appWorkloads(resources, "Deployment")) {
            if (group(deployment).equals("api")) {
                continue;
            }
            Optional<Map<String, Object>> scaled = scaledObjects.stream().filter(s -> name(deployment)
                    .equals(((Map<?, ?>) spec(s).get("scaleTargetRef")).get("name"))).findFirst();
            if (scaled.isEmpty()) {
                assertThat(spec(deployment)).as(name(deployment) + ": no KEDA, so a fixed count")
                        .containsKey("replicas");
                continue;
            }
            Map<String, String> env = env(resources, deployment);
            Set<String> expected = new TreeSet<>();
            for (Path file : groupFiles(env.get("ROUTES_INCLUDE_PATTERN"))) {
                expected.addAll(consumedTopics(file, env));
            }
            assertThat(expected).as(group(deployment) + " consumes").isNotEmpty();
            Set<String> triggered = new TreeSet<>();
            for (Map<String, Object> trigger : maps(spec(scaled.get()).get("triggers"))) {
                assertThat(trigger.get("type")).isEqualTo("kafka");
                @SuppressWarnings("unchecked")
                Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
                triggered.add(metadata.get("topic") + " / " + metadata.get("consumerGroup"));
                assertThat(metadata.get("bootstrapServers")).isEqualTo(env.get("KAFKA_BROKERS"));
                assertThat(metadata.get("offsetResetPolicy")).isEqualTo("earliest");
                boolean secured = !"PLAINTEXT".equals(applicationValue("camel.component.kafka.security-protocol",
                        env).orElseThrow());
                assertThat(trigger.containsKey("authenticationRef")).as("KEDA logs in where the app does")
                        .isEqualTo(secured);
            }
            assertThat(triggered).isEqualTo(expected);
            int partitions = Integer.parseInt(applicationValue("app.kafka.partitions", env).orElseThrow());
            assertThat((Integer) spec(scaled.get()).get("maxReplicaCount")).as("partitions are the ceiling")
                    .isLessThanOrEqualTo(partitions);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyGroupHasADisruptionBudgetAndTheApiAnAutoscalerOrAFixedCount(String overlay) {
        List<Map<String, Object>> resources = rendered(overlay);
        for (Map<String, Object> deployment : appWorkloads(resources, "Deployment")) {
            assertThat(ofKind(resources, "PodDisruptionBudget")).as(name(deployment))
                    .anyMatch(pdb -> selects(spec(pdb).get("selector"), deployment));
        }
        Map<String, Object> api = appWorkloads(resources, "Deployment").stream()
                .filter(d -> group(d).equals("api")).findFirst().orElseThrow();
        boolean autoscaled = ofKind(resources, "HorizontalPodAutoscaler").stream()
                .anyMatch(h -> name(api).equals(((Map<?, ?>) spec(h).get("scaleTargetRef")).get("name")));
        assertThat(autoscaled || spec(api).containsKey("replicas")).isTrue();
        assertThat(autoscaled && spec(api).containsKey("replicas")).as("an apply must not fight the autoscaler")
                .isFalse();
    }

    // ---- network ----

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void eachGroupMayReachOnlyWhatItUses(String overlay) {
        List<Map<String, Object>> resources = rendered(overlay);
        for (Map<String, Object> workload : appWorkloads(resources, null)) {
            List<Map<String, Object>> policies = ofKind(resources, "NetworkPolicy").stream()
                    .filter(p -> selects(spec(p).get("podSelector"), workload)).toList();
            assertThat(policies).as(name(workload) + " has its NetworkPolicy").hasSize(1);
            Map<String, Object> policy = policies.get(0);
            assertThat(spec(policy).get("policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
            Map<String, String> env = env(resources, workload);
            String group = group(workload);
            assertThat(egressAllows(policy, 53, "UDP")).as("DNS").isTrue();
            int database = URI.create(env.get("DATABASE_URL").substring("jdbc:".length())).getPort();
            boolean usesDatabase = !group.equals("enricher");
            assertThat(egressAllows(policy, database, "TCP")).as(group + " to PostgreSQL").isEqualTo(usesDatabase);
            if (!group.equals("migrate")) {
                for (String broker : env.get("KAFKA_BROKERS").split(",")) {
                    int port = Integer.parseInt(broker.substring(broker.lastIndexOf(':') + 1));
                    assertThat(egressAllows(policy, port, "TCP")).as(group + " to Kafka " + broker).isTrue();
                }
            }
            if (group.equals("enricher")) {
                for (String key : List.of("ai.intent.url", "ai.entity.url")) {
                    URI url = URI.create(applicationValue(key, env).orElseThrow());
                    int port = url.getPort() > 0 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
                    assertThat(url.getHost().equals("localhost") || egressAllows(policy, port, "TCP"))
                            .as("enricher to " + url).isTrue();
                }
            }
        }
    }

    // ---- helpers: the rendered manifests ----

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    /** The application's workloads (Deployments and the migration Job), not the local overlay's Kafka. */
    private static List<Map<String, Object>> appWorkloads(List<Map<String, Object>> resources, String kind) {
        return resources.stream()
                .filter(r -> kind == null ? List.of("Deployment", "Job").contains(r.get("kind")) : kind.equals(r.get("kind")))
                .filter(r -> "lead-ai-pipeline".equals(podLabels(r).get("app.kubernetes.io/name")))
                .toList();
    }

    private static String group(Map<String, Object> workload) {
        return String.valueOf(podLabels(workload).get("app.kubernetes.io/component"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> template(Map<String, Object> workload) {
        return (Map<String, Object>) spec(workload).get("template");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> podLabels(Map<String, Object> workload) {
        Object labels = ((Map<String, Object>) template(workload).get("metadata")).get("labels");
        return labels == null ? Map.of() : (Map<String, Object>) labels;
    }

    private static Map<String, Object> appContainer(Map<String, Object> workload) {
        List<Map<String, Object>> containers = maps(podSpec(workload).get("containers"));
        assertThat(containers).as(name(workload)).hasSize(1);
        return containers.get(0);
    }

    @SuppressWarnings("unchecked")
    private static boolean selects(Object selector, Map<String, Object> workload) {
        Map<String, Object> matchLabels = (Map<String, Object>) ((Map<String, Object>) selector).get("matchLabels");
        return matchLabels != null && podLabels(workload).entrySet().containsAll(matchLabels.entrySet());
    }

    /** What the container sees: its ConfigMaps' entries, then its own variables (literal values only). */
    private static Map<String, String> env(List<Map<String, Object>> resources, Map<String, Object> workload) {
        Map<String, Object> container = appContainer(workload);
        Map<String, String> env = new LinkedHashMap<>(configMapEnv(resources, container));
        for (Map<String, Object> variable : maps(container.get("env"))) {
            env.put((String) variable.get("name"), variable.containsKey("value")
                    ? String.valueOf(variable.get("value")) : "(from " + variable.get("valueFrom") + ")");
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> configMapEnv(List<Map<String, Object>> resources, Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> source : maps(container.get("envFrom"))) {
            String name = (String) ((Map<String, Object>) source.get("configMapRef")).get("name");
            Map<String, Object> configMap = ofKind(resources, "ConfigMap").stream()
                    .filter(c -> name(c).equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
            ((Map<String, Object>) configMap.get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        return env;
    }

    private static Map<String, String> mountedVolumes(Map<String, Object> container) {
        return maps(container.get("volumeMounts")).stream()
                .collect(Collectors.toMap(m -> (String) m.get("mountPath"), m -> (String) m.get("name")));
    }

    private static Map<String, Object> volume(Map<String, Object> workload, String name) {
        return maps(podSpec(workload).get("volumes")).stream().filter(v -> name.equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @SuppressWarnings("unchecked")
    private static String probe(Map<String, Object> container, String kind) {
        Map<String, Object> probe = (Map<String, Object>) container.get(kind);
        assertThat(probe).as(kind).isNotNull();
        Map<String, Object> get = (Map<String, Object>) probe.get("httpGet");
        Object port = get.get("port");
        int number = port instanceof Integer p ? p : portNumber(container, (String) port);
        return get.get("path") + "@" + number;
    }

    private static int portNumber(Map<String, Object> container, String name) {
        return maps(container.get("ports")).stream().filter(p -> name.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort")).findFirst()
                .orElseThrow(() -> new AssertionError("no port " + name));
    }

    @SuppressWarnings("unchecked")
    private static long preStopSeconds(Map<String, Object> container) {
        Object lifecycle = container.get("lifecycle");
        if (lifecycle == null) {
            return 0;
        }
        Map<String, Object> exec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) lifecycle)
                .get("preStop")).get("exec");
        List<String> command = (List<String>) exec.get("command");
        assertThat(command.get(0)).isEqualTo("sleep");
        return Long.parseLong(command.get(1));
    }

    @SuppressWarnings("unchecked")
    private static boolean egressAllows(Map<String, Object> policy, int port, String protocol) {
        for (Map<String, Object> rule : maps(spec(policy).get("egress"))) {
            for (Map<String, Object> allowed : maps(rule.get("ports"))) {
                int from = (Integer) allowed.get("port");
                int to = (Integer) allowed.getOrDefault("endPort", from);
                if (protocol.equals(allowed.getOrDefault("protocol", "TCP")) && from <= port && port <= to) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- helpers: the application ----

    private static Set<String> applicationEnvNames() {
        try {
            Matcher matcher = ENV_PLACEHOLDER.matcher(Files.readString(APPLICATION_YAML));
            Set<String> names = new TreeSet<>();
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String applicationDefault(String envName) {
        try {
            Matcher matcher = Pattern.compile("\\$\\{" + envName + ":([^}$]*)}").matcher(Files.readString(APPLICATION_YAML));
            assertThat(matcher.find()).as(envName + " has a default").isTrue();
            return matcher.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key of application.yaml with its placeholders resolved against a container's environment. */
    @SuppressWarnings("unchecked")
    private static Optional<String> applicationValue(String key, Map<String, String> env) {
        Object node;
        try {
            node = new Yaml().load(Files.readString(APPLICATION_YAML));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String part : key.split("\\.")) {
            if (!(node instanceof Map)) {
                return Optional.empty();
            }
            node = ((Map<String, Object>) node).get(part);
        }
        return node == null ? Optional.empty() : Optional.of(resolve(String.valueOf(node), env));
    }

    private static String resolve(String value, Map<String, String> env) {
        Matcher placeholder = Pattern.compile("\\$\\{([^:{}]+)(?::([^{}]*))?}").matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            String replacement = env.containsKey(name) ? env.get(name)
                    : name.contains(".") ? applicationValue(name, env).orElseThrow()
                    : Optional.ofNullable(placeholder.group(2)).orElse("");
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        placeholder.appendTail(resolved);
        String result = resolved.toString();
        return result.contains("${") && !result.equals(value) ? resolve(result, env) : result;
    }

    /** Environment names of every Spring Boot property on the classpath (relaxed binding). */
    private static Set<String> springBootEnvNames() throws IOException {
        Set<String> names = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        var metadata = KubernetesManifestsTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json");
        while (metadata.hasMoreElements()) {
            JsonNode properties = json.readTree(metadata.nextElement()).path("properties");
            properties.forEach(p -> names.add(p.path("name").asText().replace("-", "").replace('.', '_')
                    .toUpperCase(java.util.Locale.ROOT)));
        }
        return names;
    }

    // ---- helpers: the route files ----

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    /** The files of routes/ that a ROUTES_INCLUDE_PATTERN names; each pattern must name at least one. */
    private static Set<Path> groupFiles(String patterns) throws IOException {
        Set<Path> files = new TreeSet<>();
        for (String pattern : patterns.split(",")) {
            assertThat(pattern).startsWith("file:" + ROUTES_MOUNT + "/");
            PathMatcher glob = FileSystems.getDefault()
                    .getPathMatcher("glob:" + pattern.substring(("file:" + ROUTES_MOUNT + "/").length()));
            List<Path> matched = routeFiles().stream().filter(f -> glob.matches(f.getFileName())).toList();
            assertThat(matched).as(pattern + " names route files").isNotEmpty();
            files.addAll(matched);
        }
        return files;
    }

    /** Endpoints and route configurations a route file defines: its direct: consumers and configuration ids. */
    @SuppressWarnings("unchecked")
    private static Set<String> definitions(Path file) throws IOException {
        Set<String> defined = new HashSet<>();
        for (Map<String, Object> item : (List<Map<String, Object>>) new Yaml().load(Files.readString(file))) {
            item.forEach((kind, body) -> {
                Map<String, Object> definition = (Map<String, Object>) body;
                if (kind.equals("routeConfiguration")) {
                    defined.add("routeConfiguration:" + definition.get("id"));
                } else if (definition.get("from") instanceof Map<?, ?> from
                        && String.valueOf(from.get("uri")).startsWith("direct:")) {
                    defined.add(String.valueOf(from.get("uri")));
                }
            });
        }
        return defined;
    }

    /** The direct: endpoints and route configurations a route file uses. */
    private static Set<String> references(Path file) throws IOException {
        String text = Files.readString(file);
        Set<String> used = new HashSet<>();
        Matcher direct = Pattern.compile("direct:[A-Za-z0-9-]+(?![{\\w-])").matcher(text);
        while (direct.find()) {
            used.add(direct.group());
        }
        Matcher configuration = Pattern.compile("routeConfigurationId: *\"?([\\w-]+)").matcher(text);
        while (configuration.find()) {
            used.add("routeConfiguration:" + configuration.group(1));
        }
        return used;
    }

    /** "topic / group" of every Kafka consumer in a route file, with the container's environment applied. */
    @SuppressWarnings("unchecked")
    private static Set<String> consumedTopics(Path file, Map<String, String> env) throws IOException {
        Set<String> consumed = new TreeSet<>();
        for (Map<String, Object> item : (List<Map<String, Object>>) new Yaml().load(Files.readString(file))) {
            if (!(item.get("route") instanceof Map<?, ?> route) || !(route.get("from") instanceof Map<?, ?> from)
                    || !String.valueOf(from.get("uri")).startsWith("kafka:")) {
                continue;
            }
            String group = camelPlaceholders(String.valueOf(((Map<String, Object>) from.get("parameters"))
                    .get("groupId")), env);
            for (String topic : camelPlaceholders(String.valueOf(from.get("uri")).substring("kafka:".length()), env)
                    .split(",")) {
                consumed.add(topic + " / " + group);
            }
        }
        return consumed;
    }

    private static String camelPlaceholders(String value, Map<String, String> env) {
        Matcher placeholder = Pattern.compile("\\{\\{([^}]+)}}").matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(
                    applicationValue(placeholder.group(1), env).orElseThrow()));
        }
        return placeholder.appendTail(resolved).toString();
    }
}
