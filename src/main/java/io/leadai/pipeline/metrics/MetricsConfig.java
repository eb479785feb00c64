package io.leadai.pipeline.metrics;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Runs the refresh of the {@link ScheduledGauges} (Spring Boot's scheduler, one thread). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MetricsConfig {
}
