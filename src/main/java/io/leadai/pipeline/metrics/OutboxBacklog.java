package io.leadai.pipeline.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;

/**
 * The outbox rows waiting for the relay, and the age of the oldest: {@code leadai_outbox_unpublished_rows}
 * and {@code leadai_outbox_oldest_unpublished_age_seconds}. Both stay near zero while Kafka is up; they grow
 * while Kafka (or the relay) is away.
 */
@Component
public class OutboxBacklog extends ScheduledGauges {

    public static final String UNPUBLISHED = "leadai.outbox.unpublished";
    public static final String OLDEST_AGE = "leadai.outbox.oldest.unpublished.age";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final String pipelineRole;
    private final String sql;
    private volatile double unpublished = Double.NaN;
    private volatile double oldestAgeSeconds = Double.NaN;

    public OutboxBacklog(DataSource dataSource, PlatformTransactionManager transactionManager,
                         @Value("${app.database.pipeline-role}") String pipelineRole, MeterRegistry registry) {
        super("PostgreSQL (outbox backlog)");
        this.jdbc = new JdbcTemplate(dataSource);
        // a database that hangs must not hold the refresh of the other gauges for long
        this.jdbc.setQueryTimeout(10);
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setReadOnly(true);
        this.pipelineRole = pipelineRole;
        this.sql = sql("sql/select-outbox-backlog.sql");
        Gauge.builder(UNPUBLISHED, this, b -> b.unpublished)
                .description("Outbox rows not yet published to Kafka")
                .baseUnit("rows")
                .register(registry);
        Gauge.builder(OLDEST_AGE, this, b -> b.oldestAgeSeconds)
                .description("How long the oldest unpublished outbox row has waited; 0 when none waits")
                .baseUnit("seconds")
                .register(registry);
    }

    @Override
    protected void read() {
        transaction.executeWithoutResult(status -> {
            // the backlog of every tenant is the pipeline role's to read (V3; as sql/set-pipeline-role.sql)
            jdbc.queryForObject("SELECT set_config('role', ?, true)", String.class, pipelineRole);
            jdbc.query(sql, row -> {
                unpublished = row.getLong("unpublished");
                oldestAgeSeconds = row.getDouble("oldest_age_seconds");
            });
        });
    }

    @Override
    protected void unknown() {
        unpublished = Double.NaN;
        oldestAgeSeconds = Double.NaN;
    }

    private static String sql(String path) {
        try {
            return StreamUtils.copyToString(new ClassPathResource(path).getInputStream(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
