package io.leadai.pipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.leadai.pipeline.bench.BenchResults.Latency;
import io.leadai.pipeline.bench.BenchResults.Resources;
import io.leadai.pipeline.bench.BenchResults.Target;
import io.leadai.pipeline.bench.BenchResults.Throughput;

/** A run's figures as a table on the console and as JSON in the results directory. */
final class BenchReport {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private BenchReport() {
    }

    static Path writeJson(BenchResults results, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(results.runId() + ".json");
        JSON.writeValue(file.toFile(), results);
        return file;
    }

    static String table(BenchResults results) {
        StringBuilder out = new StringBuilder();
        BenchResults.Machine machine = results.machine();
        out.append("lead-ai-pipeline benchmark ").append(results.runId()).append(" (commit ")
                .append(results.gitCommit()).append(")\n");
        out.append("  %d cores (%s), %,d MB; load average %s before, %s after; AI latency %s ms%n".formatted(
                machine.cores(), machine.cpu(), machine.memoryMb(), machine.loadAverageBefore(),
                machine.loadAverageAfter(), results.parameters().get("ai_latency_ms")));
        out.append("  the application on %s; the rest on %s%n".formatted(machine.appJava(), machine.java()));
        out.append("\n  %-32s %8s %10s %12s %10s %9s %9s %9s %9s%n".formatted("run", "events", "leads/s",
                "app CPU s/1k", "total CPU", "p50 ms", "p99 ms", "p99.9 ms", "max ms"));
        throughputRow(out, "throughput (pipeline)", results.throughput());
        if (results.floor() != null) {
            throughputRow(out, "throughput (floor: no AI calls)", results.floor());
        }
        for (Latency latency : results.latency()) {
            String name = latency.fractionOfThroughput() == null
                    ? "latency @ %.0f/s".formatted(latency.ratePerSecond())
                    : "latency @ %.0f%% (%.0f/s)".formatted(100 * latency.fractionOfThroughput(), latency.ratePerSecond());
            out.append("  %-32s %8d %10s %12s %10s %9.1f %9.1f %9.1f %9.1f%n".formatted(name, latency.events(), "", "",
                    "", latency.p50Ms(), latency.p99Ms(), latency.p999Ms(), latency.maxMs()));
            for (BenchResults.Stage stage : latency.stages()) {
                out.append("  %-32s %8s %10s %12s %10s %9.1f %9.1f %9s %9.1f%n".formatted("    " + stage.name(), "", "",
                        "", "", stage.p50Ms(), stage.p99Ms(), "", stage.maxMs()));
            }
            out.append("      CPU cores in use while sending: ").append(cpu(latency.cpuCores(), "%.2f")).append('\n');
        }
        out.append('\n');
        resources(out, "pipeline", results.resources());
        if (results.floorResources() != null) {
            resources(out, "floor", results.floorResources());
        }
        out.append("  CPU seconds of the throughput run: ").append(cpu(results.throughput().cpuSeconds())).append('\n');
        out.append("  the application's CPU seconds by thread: ").append(cpu(results.throughput().appCpuByThread()))
                .append('\n');
        out.append("  reconciliation (throughput run): ").append(results.throughput().reconciliation()).append('\n');
        out.append("\n  targets\n");
        for (Target target : results.targets()) {
            String verdict = target.met() == null ? "-" : target.met() ? "met" : "NOT met";
            out.append("  %-10s %-48s %-8s %s%n".formatted(target.name(), target.target(), verdict, target.measured()));
        }
        return out.toString();
    }

    private static void throughputRow(StringBuilder out, String name, Throughput throughput) {
        out.append("  %-32s %8d %10.0f %12.2f %10.1f%n".formatted(name, throughput.events(),
                throughput.leadsPerSecond(), throughput.appCpuSecondsPerThousandLeads(), throughput.cpuSeconds().get("total")));
    }

    private static void resources(StringBuilder out, String name, Resources resources) {
        out.append(("  %s app: ready in %.1f s (consuming in %.1f s), peak RSS %.0f MB, heap peak used %.0f MB / "
                + "committed %.0f MB / max %.0f MB (largest after GC %.0f MB), %d GC pauses %.0f ms, stopped in %.1f s%n")
                .formatted(name, resources.readyMs() / 1000, resources.consumingMs() / 1000, resources.peakRssMb(),
                        resources.peakHeapUsedMb(), resources.peakHeapCommittedMb(), resources.heapMaxMb(),
                        resources.peakHeapAfterGcMb(), resources.gcPauses(), resources.gcPauseMs(),
                        resources.shutdownMs() / 1000));
    }

    private static String cpu(Map<String, Double> seconds) {
        return cpu(seconds, "%.1f");
    }

    private static String cpu(Map<String, Double> values, String format) {
        return values.entrySet().stream()
                .map(e -> ("%s " + format).formatted(e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
