package io.leadai.pipeline.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/**
 * A PostgreSQL server of one test's own that the test stops and starts again: same port, same data
 * directory, so the application's connection settings stay valid across the outage.
 */
public final class RestartablePostgres {

    private final int port = TestInfrastructure.freePort();
    private final Path data;
    private EmbeddedPostgres server;
    private final TestInfrastructure.Database database;

    public RestartablePostgres() {
        try {
            data = Files.createTempDirectory("restartable-postgres");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
        // the data directory keeps the database and its roles across restarts
        database = TestInfrastructure.createDatabase(server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres",
                "leads");
    }

    public void start() {
        server = TestInfrastructure.startEmbeddedPostgres(EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false));
    }

    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points the application's data source at this server, failing fast while it is down. */
    public void registerIn(DynamicPropertyRegistry registry) {
        database.registerIn(registry);
        registry.add("spring.datasource.hikari.connection-timeout", () -> 1000);
    }

    /** The database {@link #registerIn} points the application at. */
    public TestInfrastructure.Database database() {
        return database;
    }

    /** A database of its own on this server, for a test that runs the application as a process. */
    public TestInfrastructure.Database database(String name) {
        return TestInfrastructure.createDatabase("jdbc:postgresql://localhost:" + port + "/postgres", "postgres",
                "postgres", name);
    }

    /** Stops the server for good and deletes its data. */
    public void destroy() {
        stop();
        FileSystemUtils.deleteRecursively(data.toFile());
    }
}
