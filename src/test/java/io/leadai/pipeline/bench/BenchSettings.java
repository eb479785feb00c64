package io.leadai.pipeline.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's parameters, from system properties ({@code -Dbench.events=...} on the Maven command line).
 * {@code bench.mode=full} (the {@code bench} profile) gives the defaults of a measurement; otherwise those of the
 * smoke run in {@code ./mvnw verify}, which checks the harness and the pipeline's correctness, not speed.
 */
record BenchSettings(
        boolean full,
        int events,
        int warmupEvents,
        long aiLatencyMs,
        List<Double> latencyFractions,
        List<Double> latencyRates,
        double latencySeconds,
        double latencyWarmupSeconds,
        boolean floor,
        boolean profile,
        List<String> appJvmOptions,
        Map<String, String> appEnvironment,
        String synchronousCommit,
        int stallSeconds,
        Path baseDirectory,
        Path resultsDirectory) {

    static BenchSettings fromSystemProperties() {
        boolean full = "full".equals(System.getProperty("bench.mode", "smoke"));
        Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        return new BenchSettings(
                full,
                Integer.parseInt(property("bench.events", full ? "50000" : "500")),
                Integer.parseInt(property("bench.warmup-events", full ? "100000" : "100")),
                Long.parseLong(property("bench.ai-latency-ms", "10")),
                numbers(property("bench.latency.fractions", full ? "0.25,0.5,0.75" : "0.5")),
                numbers(property("bench.latency.rates", "")),
                Double.parseDouble(property("bench.latency.seconds", full ? "30" : "3")),
                Double.parseDouble(property("bench.latency.warmup-seconds", full ? "30" : "1")),
                Boolean.parseBoolean(property("bench.floor", "true")),
                Boolean.parseBoolean(property("bench.profile", "false")),
                List.of(property("bench.app.jvm-options", "-Xmx512m -XX:+ExitOnOutOfMemoryError").trim().split("\\s+")),
                environment(property("bench.app.env", "")),
                property("bench.postgres.synchronous-commit", "on"),
                Integer.parseInt(property("bench.stall-seconds", full ? "120" : "60")),
                base,
                base.resolve(property("bench.results-dir", full ? "bench/results" : "target/bench-results")));
    }

    /** Logs and recordings of each run: target/bench/<run id>/. */
    Path workDirectory() {
        return baseDirectory.resolve("target/bench");
    }

    Path floorRoutes() {
        return baseDirectory.resolve("bench/routes");
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        // an empty value is a value: -Dbench.latency.fractions= runs no latency phase
        return value == null ? fallback : value.trim();
    }

    /**
     * {@code KEY=value,KEY2=value}: settings of the application to try, e.g. a tuning candidate. A value may hold
     * commas (a list of patterns): a pair starts only where a name and {@code =} follow the comma.
     */
    private static Map<String, String> environment(String list) {
        Map<String, String> environment = new LinkedHashMap<>();
        Arrays.stream(list.split(",(?=\\s*[A-Za-z_][A-Za-z0-9_.]*=)")).map(String::trim).filter(s -> !s.isEmpty()).forEach(pair -> {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("bench.app.env takes KEY=value pairs, not " + pair);
            }
            environment.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        });
        return environment;
    }

    private static List<Double> numbers(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Double::parseDouble)
                .toList();
    }
}
