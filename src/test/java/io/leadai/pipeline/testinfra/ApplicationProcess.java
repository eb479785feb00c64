package io.leadai.pipeline.testinfra;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The application as it runs in production: the packaged jar, laid out as the image runs it ({@link DeployedLayout}:
 * extracted, with a class data sharing archive), in a JVM of its own, configured only through environment variables. Tells when it is ready, stops it with SIGTERM (graceful
 * shutdown) or kills it with SIGKILL, and reports its CPU time and memory.
 *
 * <p>The jar is the one {@code ./mvnw package} built: the system property {@code app.jar} (the build sets it),
 * else the only {@code target/lead-ai-pipeline-*.jar}. It runs on the JDK that runs the tests, or on the one the
 * system property {@code app.java-home} names (the image's JVM, say, in the benchmark).
 */
public final class ApplicationProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final JavaProcess process;
    private final int serverPort;
    private final int managementPort;
    private Duration startup;

    private ApplicationProcess(JavaProcess process, int serverPort, int managementPort) {
        this.process = process;
        this.serverPort = serverPort;
        this.managementPort = managementPort;
    }

    /**
     * Starts the jar with {@code environment} (plus {@code SERVER_PORT} and {@code MANAGEMENT_PORT} on free ports
     * unless given) and returns at once; see {@link #awaitReady}. The database settings, the application's role and
     * the migrations' owner, come from {@link TestInfrastructure.Database#environment()}.
     *
     * @param jvmOptions e.g. {@code -Xmx512m}; the JVM's defaults otherwise
     */
    public static ApplicationProcess start(Map<String, String> environment, List<String> jvmOptions, Path log) {
        Map<String, String> env = new HashMap<>(environment);
        // ApiClient's tokens are accepted, unless the caller configures credentials itself
        if (env.keySet().stream().noneMatch(name -> name.startsWith("JWT_") || name.startsWith("API_KEYS"))) {
            TestCredentials.environment().forEach(env::putIfAbsent);
        }
        int serverPort = Integer.parseInt(env.computeIfAbsent("SERVER_PORT",
                k -> Integer.toString(TestInfrastructure.freePort())));
        int managementPort = Integer.parseInt(env.computeIfAbsent("MANAGEMENT_PORT",
                k -> Integer.toString(TestInfrastructure.freePort())));
        List<String> arguments = new ArrayList<>(jvmOptions);
        arguments.addAll(DeployedLayout.arguments(jar(), configuredJavaHome()));
        JavaProcess process = new JavaProcess("lead-ai-pipeline", configuredJavaHome(), arguments, env, log);
        process.start();
        return new ApplicationProcess(process, serverPort, managementPort);
    }

    /** Waits until the application is ready; returns the time from its start to ready. */
    public Duration awaitReady(Duration timeout) {
        await("lead-ai-pipeline ready").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    process.requireAlive();
                    return isReady();
                });
        startup = uptime();
        return startup;
    }

    /** Ready as Kubernetes sees it: {@code /actuator/health/readiness} on the management port answers 200. */
    public boolean isReady() {
        return answersOk(managementPort, "/actuator/health/readiness");
    }

    /** The time since the process started. */
    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - process.startedAtNanos());
    }

    /** The time from start to ready of the last {@link #awaitReady}. */
    public Duration startup() {
        return startup;
    }

    /** SIGTERM: graceful shutdown; returns how long the application took to end. */
    public Duration stop() {
        return process.stop(Duration.ofSeconds(60));
    }

    /** SIGKILL, as a crash or the OOM killer would end it. */
    public void kill() {
        process.kill();
    }

    public int serverPort() {
        return serverPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** The JDK the running process was started from, as the operating system tells its command. */
    public Path runningJavaHome() {
        return ProcessHandle.of(pid()).flatMap(handle -> handle.info().command())
                .map(command -> Path.of(command).getParent().getParent())
                .orElseThrow(() -> new IllegalStateException("the application (pid " + pid() + ") is not running"));
    }

    public long pid() {
        return process.pid();
    }

    public ProcessUsage usage() {
        return process.usage();
    }

    public Path log() {
        return process.log();
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean answersOk(int port, String path) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The JDK the application is to run on: {@code app.java-home}, else the one running the tests. */
    public static Path configuredJavaHome() {
        String configured = System.getProperty("app.java-home", "");
        Path home = Path.of(configured.isBlank() ? System.getProperty("java.home") : configured);
        if (!Files.isExecutable(JavaProcess.executable(home))) {
            throw new IllegalStateException("app.java-home " + home + " has no bin/java");
        }
        return home;
    }

    static Path jar() {
        String configured = System.getProperty("app.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        try (var jars = Files.list(Path.of("target"))) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().matches("lead-ai-pipeline-.*\\.jar")).toList();
            if (found.size() != 1) {
                throw new IllegalStateException("expected one packaged jar in target/, found " + found
                        + ": run ./mvnw package, or set -Dapp.jar");
            }
            return found.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("no target/ with the packaged jar: run ./mvnw package", e);
        }
    }
}
