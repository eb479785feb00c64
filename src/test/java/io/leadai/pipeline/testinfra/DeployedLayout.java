package io.leadai.pipeline.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * The packaged jar laid out as the image runs it (see the Dockerfile): extracted by Spring Boot's jar tools
 * ({@code -Djarmode=tools extract}: the application jar and its libraries side by side, no nested jars to unpack
 * while classes load) with a class data sharing archive of the classes a start-up loads. Extracted once per jar, in
 * {@code target/deployed/}; the archive made once per jar and JVM (an archive belongs to the JVM that made it), by
 * that JVM, with a training start that needs no database and no broker: it ends once the application context is
 * refreshed ({@code spring.context.exit=onRefresh}).
 */
public final class DeployedLayout {

    /**
     * The training start's settings, the same as the Dockerfile's: no database, no broker, nothing it must wait
     * for (ComposeFileTest holds the Dockerfile to them).
     */
    public static final Map<String, String> TRAINING_ENVIRONMENT = Map.of(
            "DATABASE_MIGRATE", "false",
            "DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none",
            "KAFKA_BROKERS", "127.0.0.1:1",
            "KAFKA_CREATE_TOPICS", "false",
            "SERVER_PORT", "0",
            "MANAGEMENT_PORT", "0");

    /** The training start's JVM options (the first one takes the archive's path), as the Dockerfile has them. */
    public static final List<String> TRAINING_OPTIONS = List.of("-XX:ArchiveClassesAtExit=",
            "-Dspring.context.exit=onRefresh");
    /** The option every later start reads the archive with (the path follows). */
    public static final String ARCHIVE_OPTION = "-XX:SharedArchiveFile=";

    private DeployedLayout() {
    }

    /** The arguments that run {@code jar} as deployed on the JVM of {@code javaHome}: its archive, the extracted jar. */
    static synchronized List<String> arguments(Path jar, Path javaHome) {
        Path directory = jar.toAbsolutePath().getParent().resolve("deployed");
        Path extracted = directory.resolve("app").resolve(jar.getFileName());
        Path madeFrom = directory.resolve("made-from");
        String stamp = stamp(jar);
        if (!stamp.equals(read(madeFrom))) {
            extract(jar, directory, javaHome);
            write(madeFrom, stamp);
        }
        Path archive = directory.resolve("app-" + jvmId(javaHome) + ".jsa");
        if (!Files.isRegularFile(archive)) {
            train(extracted, archive, javaHome, directory.resolve("make.log"));
        }
        return List.of(ARCHIVE_OPTION + archive, "-jar", extracted.toString());
    }

    private static void extract(Path jar, Path directory, Path javaHome) {
        FileSystemUtils.deleteRecursively(directory.toFile());
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(javaHome, List.of("-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
                directory.resolve("app").toString()), Map.of(), directory.resolve("make.log"));
    }

    private static void train(Path extracted, Path archive, Path javaHome, Path log) {
        run(javaHome, List.of(TRAINING_OPTIONS.get(0) + archive, TRAINING_OPTIONS.get(1), "-jar", extracted.toString()),
                TRAINING_ENVIRONMENT, log);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no class data sharing archive made; see " + log);
        }
    }

    /** Tells JVMs apart by where they are installed. */
    private static String jvmId(Path javaHome) {
        try {
            return Integer.toHexString(javaHome.toRealPath().toString().hashCode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path javaHome, List<String> arguments, Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(JavaProcess.executable(javaHome).toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " ended with " + process.exitValue() + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The jar's size and time of change: a rebuilt jar gets a new layout. */
    private static String stamp(Path jar) {
        try {
            return Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
