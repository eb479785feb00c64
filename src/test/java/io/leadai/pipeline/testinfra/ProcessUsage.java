package io.leadai.pipeline.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the Linux kernel counts for a process (from {@code /proc}): CPU time of all its threads, its resident
 * memory now and at its peak ({@code VmHWM}). Figures of processes the JVM cannot see into, such as
 * PostgreSQL, whose backends are child processes of the server.
 */
public record ProcessUsage(Duration cpu, long rssBytes, long peakRssBytes) {

    /** Linux reports CPU time in clock ticks; 100 per second on every common kernel configuration. */
    private static final long TICKS_PER_SECOND = 100;

    public static ProcessUsage of(long pid) {
        Stat stat = Stat.read(pid);
        Path status = Path.of("/proc", Long.toString(pid), "status");
        return new ProcessUsage(stat.cpu(), kilobytes(status, "VmRSS:") * 1024, kilobytes(status, "VmHWM:") * 1024);
    }

    /**
     * CPU time of a process and of its children: those alive now, and those that ended and were waited for
     * (the kernel adds those to the parent's {@code cutime}/{@code cstime}). For a server forking a process per
     * connection, as PostgreSQL does.
     */
    public static Duration treeCpu(long pid) {
        Stat parent = Stat.read(pid);
        Duration total = parent.cpu().plus(parent.reapedChildrenCpu());
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                Stat child = Stat.readIfAlive(Long.parseLong(process.getFileName().toString()));
                if (child != null && child.parentPid() == pid) {
                    total = total.plus(child.cpu());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /**
     * CPU time of each of a process's threads, summed by thread name (the kernel keeps its first 15 characters);
     * threads that ended are not counted.
     */
    public static Map<String, Duration> threadCpu(long pid) {
        Map<String, Duration> byName = new HashMap<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads.toList()) {
                Stat stat = Stat.readIfAlive(thread.resolve("stat"));
                String name = readIfAlive(thread.resolve("comm"));
                if (stat != null && name != null) {
                    byName.merge(name.strip(), stat.cpu(), Duration::plus);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byName;
    }

    /** The parent process id, as the kernel knows it. */
    public static long parentPid(long pid) {
        return Stat.read(pid).parentPid();
    }

    /** A file of {@code /proc}, or null when its process or thread has ended meanwhile. */
    private static String readIfAlive(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static long kilobytes(Path status, String field) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields of {@code /proc/<pid>/stat} this class needs. */
    private record Stat(long parentPid, long userTicks, long systemTicks, long childUserTicks, long childSystemTicks) {

        static Stat read(long pid) {
            Stat stat = readIfAlive(pid);
            if (stat == null) {
                throw new IllegalStateException("no process " + pid);
            }
            return stat;
        }

        static Stat readIfAlive(long pid) {
            return readIfAlive(Path.of("/proc", Long.toString(pid), "stat"));
        }

        static Stat readIfAlive(Path file) {
            String line = ProcessUsage.readIfAlive(file);
            if (line == null) {
                return null;
            }
            // the command name (field 2) may hold spaces and parentheses: count fields after its last ')'
            List<String> fields = List.of(line.substring(line.lastIndexOf(')') + 2).trim().split(" "));
            // fields.get(0) is field 3 (state) of proc(5)
            return new Stat(Long.parseLong(fields.get(1)), Long.parseLong(fields.get(11)), Long.parseLong(fields.get(12)),
                    Long.parseLong(fields.get(13)), Long.parseLong(fields.get(14)));
        }

        Duration cpu() {
            return ticks(userTicks + systemTicks);
        }

        Duration reapedChildrenCpu() {
            return ticks(childUserTicks + childSystemTicks);
        }

        private static Duration ticks(long ticks) {
            return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
        }
    }
}
