package io.leadai.pipeline.persistence;

import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.kafka.BatchCommits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class WriterConfig {

    /** Offset commits of the store-ai-results route (its pausable step names this bean). */
    @Bean
    BatchCommits resultWriterCommits(AppProperties app) {
        return new BatchCommits("store-ai-results", app.writer().retryBackoff(), () -> true);
    }

    /** Offset commits of the store-ai-errors route. */
    @Bean
    BatchCommits errorWriterCommits(AppProperties app) {
        return new BatchCommits("store-ai-errors", app.writer().retryBackoff(), () -> true);
    }
}
