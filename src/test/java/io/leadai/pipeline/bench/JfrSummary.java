package io.leadai.pipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the application's CPU went during a phase, from a Java Flight Recorder recording: execution samples by
 * the method running (self), by the methods on the stack (inclusive), by library, by thread; the allocations,
 * the contended locks and the GC pauses. Plain text, for the report and for reading next to the figures.
 */
final class JfrSummary {

    /** Top-frame packages, to tell which library a sample was in. */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("io.leadai.", "application");
        LIBRARIES.put("org.apache.camel.", "Camel");
        LIBRARIES.put("org.apache.kafka.", "Kafka client");
        LIBRARIES.put("net.thisptr.jackson.jq.", "jq");
        LIBRARIES.put("com.networknt.", "JSON Schema validator");
        LIBRARIES.put("com.fasterxml.jackson.", "Jackson");
        LIBRARIES.put("org.apache.hc.", "HTTP client");
        LIBRARIES.put("org.postgresql.", "PostgreSQL JDBC");
        LIBRARIES.put("com.zaxxer.hikari.", "HikariCP");
        LIBRARIES.put("io.github.resilience4j.", "resilience4j");
        LIBRARIES.put("org.springframework.", "Spring");
        LIBRARIES.put("io.micrometer.", "Micrometer");
        LIBRARIES.put("org.apache.tomcat.", "Tomcat");
        LIBRARIES.put("ch.qos.logback.", "Logback");
        LIBRARIES.put("java.util.regex.", "JDK regex");
        LIBRARIES.put("java.util.concurrent.", "JDK concurrency");
        LIBRARIES.put("sun.nio.", "JDK NIO");
        LIBRARIES.put("java.", "JDK");
        LIBRARIES.put("jdk.", "JDK");
        LIBRARIES.put("sun.", "JDK");
    }

    private JfrSummary() {
    }

    static String summarize(Path recording, int top) {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> librariesSelf = new HashMap<>();
        Map<String, Long> librariesInclusive = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> allocations = new HashMap<>();
        Map<String, Long> contention = new HashMap<>();
        long samples = 0;
        long allocated = 0;
        long gcPauses = 0;
        Duration gcPause = Duration.ZERO;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                switch (event.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> {
                        RecordedStackTrace stack = event.getStackTrace();
                        if (stack == null || stack.getFrames().isEmpty()) {
                            continue;
                        }
                        samples++;
                        List<RecordedFrame> frames = stack.getFrames();
                        String topMethod = method(frames.get(0));
                        self.merge(topMethod, 1L, Long::sum);
                        librariesSelf.merge(library(topMethod), 1L, Long::sum);
                        Set<String> methods = new HashSet<>();
                        Set<String> libraries = new HashSet<>();
                        for (RecordedFrame frame : frames) {
                            String method = method(frame);
                            methods.add(method);
                            libraries.add(library(method));
                        }
                        methods.forEach(m -> inclusive.merge(m, 1L, Long::sum));
                        libraries.forEach(l -> librariesInclusive.merge(l, 1L, Long::sum));
                        threads.merge(threadGroup(event.getThread("sampledThread").getJavaName()), 1L, Long::sum);
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        long weight = event.getLong("weight");
                        allocated += weight;
                        allocations.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                    }
                    case "jdk.JavaMonitorEnter" -> contention.merge(event.getClass("monitorClass").getName() + " at "
                            + firstApplicationFrame(event.getStackTrace()), event.getDuration().toNanos(), Long::sum);
                    case "jdk.GarbageCollection" -> {
                        gcPauses++;
                        gcPause = gcPause.plus(event.getDuration("sumOfPauses"));
                    }
                    default -> {
                        // other events are not summarised
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long total = Math.max(1, samples);
        StringBuilder out = new StringBuilder();
        out.append("Execution samples: ").append(samples).append('\n');
        section(out, "By library (self: the sample's running method)", librariesSelf, top, v -> percent(v, total));
        section(out, "By library (inclusive: anywhere on the stack)", librariesInclusive, top, v -> percent(v, total));
        section(out, "Methods, self", self, top, v -> percent(v, total));
        // what every thread has on its stack says nothing about where the time goes
        long everywhere = samples * 9 / 10;
        Map<String, Long> telling = inclusive.entrySet().stream()
                .filter(e -> e.getValue() < everywhere)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        section(out, "Methods, inclusive (those on under 90% of the stacks)", telling, top, v -> percent(v, total));
        section(out, "Threads (digits folded)", threads, top, v -> percent(v, total));
        long allAllocated = Math.max(1, allocated);
        section(out, "Allocation (sampled weight) by class", allocations, top,
                v -> "%6.1f%%  %,d MB".formatted(100.0 * v / allAllocated, v / (1024 * 1024)));
        section(out, "Contended monitors (time blocked)", contention, top, v -> "%,8d ms".formatted(v / 1_000_000));
        out.append("\nGC: ").append(gcPauses).append(" collections, ").append(gcPause.toMillis())
                .append(" ms paused\n");
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, Long> counts, int top,
                                Function<Long, String> format) {
        out.append('\n').append(title).append('\n');
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> out.append("  ").append(format.apply(e.getValue())).append("  ").append(e.getKey()).append('\n'));
    }

    private static String percent(long value, long total) {
        return "%6.1f%%".formatted(100.0 * value / total);
    }

    private static String method(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        return method.getType().getName() + "." + method.getName();
    }

    private static String library(String method) {
        return LIBRARIES.entrySet().stream()
                .filter(e -> method.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElseGet(() -> {
                    String[] parts = method.split("\\.");
                    return parts.length > 2 ? parts[0] + "." + parts[1] : method;
                });
    }

    private static String firstApplicationFrame(RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        return stack.getFrames().stream()
                .map(JfrSummary::method)
                .filter(m -> !m.startsWith("java.") && !m.startsWith("jdk.") && !m.startsWith("sun."))
                .findFirst()
                .orElse(stack.getFrames().isEmpty() ? "?" : method(stack.getFrames().get(0)));
    }

    private static String threadGroup(String thread) {
        return thread == null ? "?" : thread.replaceAll("\\d+", "#");
    }
}
