package io.leadai.pipeline.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** The Kubernetes probes as the kubelet and an operator call them: HTTP on the management port. */
public final class Probes {

    private final ApiClient management;

    public Probes(int managementPort) {
        this.management = new ApiClient(managementPort);
    }

    public ApiClient.Response liveness() {
        return management.get("/actuator/health/liveness");
    }

    public ApiClient.Response readiness() {
        return management.get("/actuator/health/readiness");
    }

    /** Liveness answers 200 UP (the kubelet would restart the pod on anything else). */
    public void assertLive() {
        ApiClient.Response live = liveness();
        assertThat(live.status()).as("liveness: %s", live).isEqualTo(200);
        assertThat(live.json().path("status").asText()).isEqualTo("UP");
    }

    /** The state of one health contributor in a probe's body ({@code db}, {@code readinessState}, ...). */
    public static String component(ApiClient.Response probe, String name) {
        return probe.json().path("components").path(name).path("status").asText();
    }

    /** Camel's checks as the readiness body lists them: check id to UP, DOWN or UNKNOWN. */
    public static Map<String, String> camelChecks(ApiClient.Response readiness) {
        Map<String, String> checks = new TreeMap<>();
        readiness.json().path("components").path("camelHealth").path("details").properties().forEach(detail -> {
            JsonNode value = detail.getValue();
            if (value.isTextual() && Set.of("UP", "DOWN", "UNKNOWN").contains(value.asText())) {
                checks.put(detail.getKey(), value.asText());
            }
        });
        return checks;
    }

    /** The details Camel gives for one check in the readiness body ({@code <id>.data}). */
    public static JsonNode camelCheckData(ApiClient.Response readiness, String checkId) {
        return readiness.json().path("components").path("camelHealth").path("details").path(checkId + ".data");
    }
}
