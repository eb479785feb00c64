package io.leadai.pipeline.enrichment;

import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.kafka.BatchCommits;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class EnrichmentConfig {

    /** The onRedelivery processor of the retried AI failures (enricher-error-handling.camel.yaml). */
    @Bean
    org.apache.camel.Processor countAiRedelivery(AiFailures failures) {
        return failures::countRedelivery;
    }

    /**
     * Offset commits of enrich-lead-events, whose batches are worked on by enrich-batch, several at once;
     * consumption pauses while an AI circuit is open.
     */
    @Bean
    BatchCommits enricherCommits(AppProperties app, AiFailures failures) {
        return new BatchCommits("enrich-lead-events", app.enrichment().retryBackoff(), failures::servicesUp,
                app.enrichment().batchesInFlight(), app.enrichment().batchSize());
    }

    /**
     * Workers for the records of the batches in flight (the split's {@code executorService}), shared by them. A
     * Camel thread pool profile, not a Spring executor bean, which would replace Spring Boot's own task executor.
     */
    @Bean
    ThreadPoolProfile enrichmentWorkers(AppProperties app) {
        return pool("enrichmentWorkers", app.enrichment().parallelism());
    }

    /** The concurrent calls to the AI services: two per record in flight. */
    @Bean
    ThreadPoolProfile aiCalls(AppProperties app) {
        return pool("aiCalls", app.enrichment().parallelism() * 2);
    }

    private static ThreadPoolProfile pool(String id, int threads) {
        return new ThreadPoolProfileBuilder(id)
                .poolSize(threads)
                .maxPoolSize(threads)
                // a whole batch may queue; beyond that the submitting thread helps out
                .maxQueueSize(10_000)
                .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns)
                .build();
    }
}
