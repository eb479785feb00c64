package io.leadai.pipeline.config;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Our own settings, everything under {@code app.} in application.yaml. */
@ConfigurationProperties("app")
public record AppProperties(Kafka kafka, Topics topics, Outbox outbox, Api api, KafkaTest kafkaTest, Writer writer,
                            Enrichment enrichment) {

    public record Kafka(String brokers, String clientId, Groups groups, boolean createTopics, int partitions,
                        short replicationFactor, Duration adminTimeout) {
    }

    public record Groups(String enricher, String writer, String errorWriter) {
        public List<String> all() {
            return List.of(enricher, writer, errorWriter);
        }
    }

    public record Topics(String leadCreated, String leadMessage, String aiRequest, String aiResult, String aiError) {
        public List<String> all() {
            return List.of(leadCreated, leadMessage, aiRequest, aiResult, aiError);
        }
    }

    public record Outbox(int batchSize) {
    }

    public record Api(int maxBodyBytes, int defaultPageSize, int maxPageSize) {
    }

    /** The result and error writers: how long to wait before reading a batch again that could not be stored. */
    public record Writer(Duration retryBackoff) {
    }

    /**
     * The enrichment routes: records per batch (and in flight over all batches), worker threads for them, how many
     * batches may be in flight at once, the pause before a batch with unfinished records is read again, and the
     * circuit breaker every AI service gets.
     */
    public record Enrichment(int batchSize, int parallelism, int batchesInFlight, Duration retryBackoff,
                             Breaker circuitBreaker) {
    }

    public record Breaker(float failureRateThreshold, int slidingWindowSize, int minimumNumberOfCalls,
                          Duration waitDurationInOpenState, int permittedCallsInHalfOpenState) {
    }

    /** Defaults for {@code POST /kafka/test}, whose body may name only the text (the tenant is the caller's). */
    public record KafkaTest(String defaultBusinessId, Duration resultWait, Duration pollInterval) {
    }
}
