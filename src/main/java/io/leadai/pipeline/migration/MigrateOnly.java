package io.leadai.pipeline.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The image's one-shot migration mode ({@code app.migrate-only}, {@code MIGRATE_ONLY=true}): Flyway migrates the
 * database and the process exits, with no routes, web server or Kafka client started. Kubernetes runs it as a
 * Job once per release, so that replicas starting together do not all migrate (they run with
 * {@code DATABASE_MIGRATE=false}).
 */
public final class MigrateOnly {

    static final String PROPERTY = "app.migrate-only";

    private MigrateOnly() {
    }

    /**
     * Whether this launch is the migration mode. Decided before any Spring context exists, from the command line,
     * system properties, the environment and the packaged application.yaml (where {@code MIGRATE_ONLY} maps to
     * {@code app.migrate-only}); other config files are not read for this one switch.
     */
    public static boolean requested(String... args) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        try {
            new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return environment.getProperty(PROPERTY, Boolean.class, false);
    }

    /**
     * Migrates and closes the context; the exit code for the process (non-zero when the migration failed, which
     * Spring Boot has logged).
     */
    public static int migrate(String... args) {
        SpringApplication application = new SpringApplication(Migration.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        // DATABASE_MIGRATE=false, set for the Deployments, must not turn off the one run that migrates
        application.addInitializers(context -> context.getEnvironment().getPropertySources().addFirst(
                new MapPropertySource("migrate-only", Map.of("spring.flyway.enabled", "true"))));
        try {
            return SpringApplication.exit(application.run(args));
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** Only the data source and Flyway: no component scan, so none of the pipeline's beans exist here. */
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, DataSourceAutoConfiguration.class,
            FlywayAutoConfiguration.class})
    static class Migration {
    }
}
