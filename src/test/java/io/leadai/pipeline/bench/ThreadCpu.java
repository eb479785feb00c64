package io.leadai.pipeline.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.leadai.pipeline.testinfra.ProcessUsage;

/**
 * The application's CPU time by kind of thread, to tell the pipeline's own work (Camel's threads) from the JVM's:
 * the JIT compiler's share says whether a run was measured warm, the GC's what the allocations cost.
 */
final class ThreadCpu {

    /** Kinds of thread by the start of their name as the kernel keeps it (15 characters); the rest is "other". */
    private static final Map<String, List<String>> KINDS = kinds();

    private ThreadCpu() {
    }

    private static Map<String, List<String>> kinds() {
        Map<String, List<String>> kinds = new LinkedHashMap<>();
        kinds.put("camel", List.of("Camel ("));
        kinds.put("jit_compiler", List.of("C1 CompilerThre", "C2 CompilerThre"));
        kinds.put("gc", List.of("GC Thread", "G1 "));
        kinds.put("kafka_clients", List.of("kafka-"));
        return kinds;
    }

    static Map<String, Duration> snapshot(long pid) {
        Map<String, Duration> byKind = new LinkedHashMap<>();
        KINDS.keySet().forEach(kind -> byKind.put(kind, Duration.ZERO));
        byKind.put("other", Duration.ZERO);
        ProcessUsage.threadCpu(pid).forEach((name, cpu) -> byKind.merge(kind(name), cpu, Duration::plus));
        return byKind;
    }

    static String kind(String threadName) {
        return KINDS.entrySet().stream()
                .filter(kind -> kind.getValue().stream().anyMatch(threadName::startsWith))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse("other");
    }
}
