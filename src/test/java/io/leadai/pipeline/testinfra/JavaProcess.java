package io.leadai.pipeline.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own that a test starts, with the JDK running the tests unless told another: its output appended to a
 * log file, stopped with SIGTERM (and SIGKILL when it does not end in time) or killed with SIGKILL, and started again
 * with the same command. A JVM shutdown hook stops it if the test run ends first.
 */
public final class JavaProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path log;
    private Process process;
    private long startedAtNanos;
    private boolean hooked;

    /**
     * @param arguments what follows {@code java}: JVM options, then {@code -cp ... Main} or {@code -jar ...}
     * @param environment added to this JVM's environment
     */
    public JavaProcess(String name, List<String> arguments, Map<String, String> environment, Path log) {
        this(name, Path.of(System.getProperty("java.home")), arguments, environment, log);
    }

    /** @param javaHome the JDK (or JRE) whose {@code bin/java} runs the process */
    public JavaProcess(String name, Path javaHome, List<String> arguments, Map<String, String> environment, Path log) {
        this.name = name;
        this.command = new ArrayList<>();
        this.command.add(executable(javaHome).toString());
        this.command.addAll(arguments);
        this.environment = Map.copyOf(environment);
        this.log = log;
    }

    /** The {@code java} launcher of the JDK (or JRE) at {@code javaHome}. */
    static Path executable(Path javaHome) {
        return javaHome.resolve("bin").resolve("java");
    }

    /** Starts the process (again, after {@link #stop} or {@link #kill}); returns at once. */
    public synchronized JavaProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            startedAtNanos = System.nanoTime();
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not start", e);
        }
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(Duration.ofSeconds(10)), "stop-" + name));
            hooked = true;
        }
        return this;
    }

    /** SIGTERM, then waits up to {@code timeout} for it to end, then SIGKILL. Returns how long it took to end. */
    public synchronized Duration stop(Duration timeout) {
        if (process == null || !process.isAlive()) {
            return Duration.ZERO;
        }
        long start = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGKILL, as a crash or an OOM killer would end it; waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the process to end by itself (a tool, not a server); its exit code. */
    public int awaitExit(Duration timeout) {
        Process running;
        synchronized (this) {
            running = process;
        }
        try {
            if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not end within " + timeout + ":\n" + logTail(20));
            }
            return running.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException(e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    /** When the current process was started, on the {@link System#nanoTime()} clock. */
    public synchronized long startedAtNanos() {
        return startedAtNanos;
    }

    public ProcessUsage usage() {
        return ProcessUsage.of(pid());
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** Fails with the end of the log when the process has ended, e.g. while a caller waits for it to be ready. */
    public void requireAlive() {
        if (!isAlive()) {
            throw new IllegalStateException(name + " ended (exit " + process.exitValue() + "); the end of " + log
                    + ":\n" + logTail(40));
        }
    }

    public String logTail(int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
