package io.leadai.pipeline.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.health.KafkaHealth;
import io.leadai.pipeline.health.KafkaHealthReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Consumer lag of each of the pipeline's groups, {@code leadai_kafka_consumer_lag_records{group}}: the same
 * figure {@code GET /kafka/health} reports, from committed offsets, so it is the same whichever instance
 * (or route group) reports it.
 */
@Component
public class ConsumerLag extends ScheduledGauges {

    public static final String NAME = "leadai.kafka.consumer.lag";

    private final KafkaHealth kafka;
    private final Map<String, Double> lagByGroup = new ConcurrentHashMap<>();

    public ConsumerLag(KafkaHealth kafka, AppProperties app, MeterRegistry registry) {
        super("Kafka (consumer lag)");
        this.kafka = kafka;
        for (String group : app.kafka().groups().all()) {
            lagByGroup.put(group, Double.NaN);
            Gauge.builder(NAME, lagByGroup, lag -> lag.getOrDefault(group, Double.NaN))
                    .description("Records on the group's partitions past its committed offsets")
                    .tag("group", group)
                    .baseUnit("records")
                    .register(registry);
        }
    }

    @Override
    protected void read() throws Exception {
        for (KafkaHealthReport.ConsumerGroup group : kafka.consumerGroups()) {
            lagByGroup.put(group.groupId(), (double) group.lag());
        }
    }

    @Override
    protected void unknown() {
        lagByGroup.replaceAll((group, lag) -> Double.NaN);
    }
}
