package io.leadai.pipeline.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** CPU time used so far by each process of the benchmark, by name; two snapshots give a phase's share. */
final class CpuMeter {

    private final Map<String, Supplier<Duration>> processes = new LinkedHashMap<>();

    CpuMeter add(String name, Supplier<Duration> cpu) {
        processes.put(name, cpu);
        return this;
    }

    Map<String, Duration> snapshot() {
        Map<String, Duration> snapshot = new LinkedHashMap<>();
        processes.forEach((name, cpu) -> snapshot.put(name, cpu.get()));
        return snapshot;
    }

    /** CPU seconds per process between two snapshots, and their {@code total}. */
    static Map<String, Double> secondsBetween(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Duration> entry : after.entrySet()) {
            double used = entry.getValue().minus(before.getOrDefault(entry.getKey(), Duration.ZERO)).toMillis() / 1000.0;
            seconds.put(entry.getKey(), used);
            total += used;
        }
        seconds.put("total", total);
        return seconds;
    }
}
