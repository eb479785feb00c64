package io.leadai.pipeline.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * The properties the route files' {{placeholders}} meet when the application runs: application.yaml with its
 * ${ENV:default}s resolved against this environment, plus system properties and environment variables, as Spring
 * Boot resolves them.
 */
final class ApplicationProperties {

    private final StandardEnvironment environment = new StandardEnvironment();
    private final Set<String> names = new TreeSet<>();

    private ApplicationProperties() {
    }

    /** application.yaml from the classpath (src/main/resources). */
    static ApplicationProperties load() {
        ApplicationProperties properties = new ApplicationProperties();
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader()
                    .load("application.yaml", new ClassPathResource("application.yaml"))) {
                properties.add(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private void add(PropertySource<?> source) {
        environment.getPropertySources().addLast(source);
        if (source instanceof EnumerablePropertySource<?> enumerable) {
            names.addAll(Set.of(enumerable.getPropertyNames()));
        }
    }

    String get(String name) {
        return environment.getProperty(name);
    }

    /** The property names application.yaml defines, for "did you mean". */
    Set<String> names() {
        return names;
    }
}
