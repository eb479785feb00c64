package io.leadai.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** SHUTDOWN_TIMEOUT bounds both shutdown phases: Spring's (HTTP requests in flight) and Camel's (exchanges). */
class ShutdownTimeoutTest {

    @Test
    void twentySecondsByDefault() throws IOException {
        Binder binder = applicationYaml(Map.of());
        assertThat(binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(binder.bind("camel.main.shutdown-timeout", Integer.class).get()).isEqualTo(20);
    }

    @Test
    void oneEnvironmentVariableSetsBoth() throws IOException {
        Binder binder = applicationYaml(Map.of("SHUTDOWN_TIMEOUT", "12"));
        assertThat(binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class).get())
                .isEqualTo(Duration.ofSeconds(12));
        assertThat(binder.bind("camel.main.shutdown-timeout", Integer.class).get()).isEqualTo(12);
    }

    private static Binder applicationYaml(Map<String, Object> environment) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        // only what the test sets, whatever the machine running it has
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        env.getPropertySources().addFirst(new MapPropertySource("environment", environment));
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(env.getPropertySources()::addLast);
        return Binder.get(env);
    }
}
