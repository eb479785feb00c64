package io.leadai.pipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap figures of a JVM, from its unified GC log ({@code -Xlog:gc,gc+init:file=...}): the heap is fullest
 * just before a collection, so the largest "before" of all pauses is its peak use; the largest "after" is the
 * most it ever had to keep (its live data and what the collector chose not to clean yet).
 */
record GcLog(double maxMb, double peakUsedMb, double peakCommittedMb, double peakAfterGcMb, int pauses,
             double pauseMs) {

    /** The options that make a JVM write this log. */
    static List<String> options(Path file) {
        return List.of("-Xlog:gc,gc+init:file=" + file);
    }

    // e.g. "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 120M->31M(256M) 4.567ms"
    private static final Pattern PAUSE =
            Pattern.compile("Pause.*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([\\d.]+)ms");
    private static final Pattern MAX = Pattern.compile("Heap Max Capacity: (\\d+)([KMG])");

    static GcLog read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return new GcLog(0, 0, 0, 0, 0, 0);
        }
        double max = 0;
        double used = 0;
        double committed = 0;
        double after = 0;
        int pauses = 0;
        double pauseMs = 0;
        for (String line : lines) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                used = Math.max(used, mb(pause.group(1), pause.group(2)));
                after = Math.max(after, mb(pause.group(3), pause.group(4)));
                committed = Math.max(committed, mb(pause.group(5), pause.group(6)));
                pauses++;
                pauseMs += Double.parseDouble(pause.group(7));
                continue;
            }
            Matcher capacity = MAX.matcher(line);
            if (capacity.find()) {
                max = mb(capacity.group(1), capacity.group(2));
            }
        }
        return new GcLog(max, used, committed, after, pauses, pauseMs);
    }

    private static double mb(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> number / 1024;
            case "G" -> number * 1024;
            default -> number;
        };
    }
}
