package io.leadai.pipeline.bench;

import java.util.List;
import java.util.Map;

/** The figures of one benchmark run, as written to bench/results/*.json (snake_case). */
record BenchResults(
        String runId,
        String startedAt,
        String gitCommit,
        Machine machine,
        Map<String, Object> parameters,
        Resources resources,
        Throughput throughput,
        List<Latency> latency,
        Throughput floor,
        Resources floorResources,
        List<Target> targets,
        List<String> profiles) {

    /**
     * Where it ran; {@code java}: the JVM of the broker, the stub AI services and the harness, {@code appJava}: the
     * application's ({@code app.java-home}); the load averages of the machine before and after, since it may be shared.
     */
    record Machine(int cores, String cpu, long memoryMb, String os, String java, String appJava,
                   List<Double> loadAverageBefore, List<Double> loadAverageAfter) {
    }

    /**
     * {@code events} published at once; {@code seconds} from the first send to the commit of the last row.
     * CPU seconds per process over the same window (the application, the broker, PostgreSQL with its backends,
     * the stub AI server, and the load generator with this harness). {@code appCpuByThread}: the application's
     * CPU seconds by kind of thread ({@link ThreadCpu}); much JIT compiler time means the run was not yet warm.
     */
    record Throughput(int events, double publishSeconds, double seconds, double leadsPerSecond,
                      Map<String, Double> cpuSeconds, double appCpuSecondsPerThousandLeads,
                      Map<String, Double> appCpuByThread, Reconciliation reconciliation) {
    }

    /**
     * An open-loop run at {@code ratePerSecond}: latency from each event's intended send time to the commit of its
     * row, in milliseconds. {@code maxSendLagMs} says how late the generator itself sent at worst (that delay is
     * part of the latencies, not hidden). {@code stages} splits each event's latency where its row says what
     * happened when ({@link BenchDatabase#rowTimes}); a stage's p99 and the total's need not come from the same
     * events. {@code cpuCores}: each process's CPU seconds per second while the events were sent, the same
     * processes as {@link Throughput#cpuSeconds}; with the {@code total} near the machine's cores, events wait for
     * a core and the tail grows.
     */
    record Latency(Double fractionOfThroughput, double ratePerSecond, double seconds, int events, double p50Ms,
                   double p90Ms, double p99Ms, double p999Ms, double maxMs, double maxSendLagMs, List<Stage> stages,
                   Map<String, Double> cpuCores, Reconciliation reconciliation) {
    }

    /**
     * One stretch of an event's way, in milliseconds: "to the enricher" (send, broker, the enricher's poll and
     * batching, its turn in the batch), "enrichment" (validation, the AI calls, the mapping), "to the writer"
     * (publishing the result, the writer's poll and batching, up to its transaction's start) and "writer
     * transaction" (the batch's statement and commit).
     */
    record Stage(String name, double p50Ms, double p99Ms, double maxMs) {
    }

    /**
     * No loss, no duplicates: what went in, what came out. {@code resultsPublished} (records on ai.process.result)
     * may exceed {@code sent}: delivery is at least once, and the writer stores a redelivered result once.
     */
    record Reconciliation(long sent, long acknowledged, long onTopic, long rows, long missing, long unexpected,
                          long duplicates, long deadLetters, Long resultsPublished, Long leadsEnriched) {

        boolean ok() {
            return acknowledged == sent && onTopic == sent && rows == sent && missing == 0 && unexpected == 0
                    && duplicates == 0 && deadLetters == 0 && (leadsEnriched == null || leadsEnriched == sent);
        }

        @Override
        public String toString() {
            return ("%d sent, %d acknowledged, %d on the topic, %d rows, %d missing, %d unexpected, %d duplicates, "
                    + "%d dead letters%s%s").formatted(sent, acknowledged, onTopic, rows, missing, unexpected, duplicates,
                    deadLetters, resultsPublished == null ? "" : ", " + resultsPublished + " results published",
                    leadsEnriched == null ? "" : ", " + leadsEnriched + " leads enriched");
        }
    }

    /**
     * The application's process: start to ready (the readiness probe answers 200), start to consuming (its
     * consumer groups own every partition), its peak resident memory (VmHWM), its heap from the GC log.
     */
    record Resources(double readyMs, double consumingMs, double peakRssMb, double heapMaxMb, double peakHeapUsedMb,
                     double peakHeapCommittedMb, double peakHeapAfterGcMb, int gcPauses, double gcPauseMs,
                     double shutdownMs) {
    }

    /** A target of the performance issue, and whether this run met it. */
    record Target(String name, String target, String measured, Boolean met) {
    }
}
