package io.leadai.pipeline.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.Map;

import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.health.KafkaHealth;
import io.leadai.pipeline.testinfra.TestInfrastructure;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The gauges read NaN while their source is away, a refresh never throws, and they recover with the source. */
class ScheduledGaugesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** A port nothing listens on: connections are refused at once. */
    private final int closedPort = TestInfrastructure.freePort();

    /** A source that answers 42, or fails while {@code away}. */
    static final class FlakySource extends ScheduledGauges {
        boolean away;
        volatile double value = Double.NaN;

        FlakySource() {
            super("a flaky source");
        }

        @Override
        protected void read() {
            if (away) {
                throw new IllegalStateException("connection refused");
            }
            value = 42;
        }

        @Override
        protected void unknown() {
            value = Double.NaN;
        }
    }

    @Test
    void aValueTurnsNaNWhileItsSourceIsAwayAndComesBackWithIt() {
        FlakySource source = new FlakySource();
        Gauge gauge = Gauge.builder("flaky", source, s -> s.value).register(registry);
        source.refresh();
        assertThat(gauge.value()).isEqualTo(42);

        source.away = true;
        assertThatCode(source::refresh).doesNotThrowAnyException();
        assertThat(gauge.value()).isNaN();

        source.away = false;
        source.refresh();
        assertThat(gauge.value()).isEqualTo(42);
    }

    @Test
    void outboxGaugesReadNaNWhileTheDatabaseIsAway() {
        DriverManagerDataSource away = new DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:" + closedPort + "/leads?connectTimeout=1", "leads", "leads");
        OutboxBacklog backlog = new OutboxBacklog(away, new DataSourceTransactionManager(away), "leadai_pipeline",
                registry);

        assertThatCode(backlog::refresh).doesNotThrowAnyException();
        assertThat(registry.get(OutboxBacklog.UNPUBLISHED).gauge().value()).isNaN();
        assertThat(registry.get(OutboxBacklog.OLDEST_AGE).gauge().value()).isNaN();
    }

    @Test
    void consumerLagGaugesReadNaNWhileKafkaIsAway() {
        AppProperties app = new AppProperties(new AppProperties.Kafka("127.0.0.1:" + closedPort, "metrics-test",
                new AppProperties.Groups("enricher", "writer", "error-writer"), false, 1, (short) 1,
                Duration.ofMillis(500)), null, null, null, null, null, null);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, app.kafka().brokers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 500, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 500))) {
            ConsumerLag lag = new ConsumerLag(new KafkaHealth(admin, app), app, registry);

            assertThatCode(lag::refresh).doesNotThrowAnyException();
            for (String group : app.kafka().groups().all()) {
                assertThat(registry.get(ConsumerLag.NAME).tag("group", group).gauge().value()).isNaN();
            }
        }
    }
}
