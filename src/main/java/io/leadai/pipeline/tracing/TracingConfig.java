package io.leadai.pipeline.tracing;

import io.opentelemetry.api.OpenTelemetry;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.opentelemetry2.starter.OpenTelemetry2ConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
public class TracingConfig {

    /**
     * Takes the place of the starter's tracer (it steps back for any {@link OpenTelemetryTracer} bean), set up as
     * the starter does it, with the exclusion decided once per endpoint.
     */
    @Bean(initMethod = "", destroyMethod = "") // Camel runs its lifecycle
    @ConditionalOnProperty(value = "camel.opentelemetry2.enabled", matchIfMissing = true)
    OpenTelemetryTracer camelOpenTelemetryTracer(CamelContext camelContext,
                                                 OpenTelemetry2ConfigurationProperties config) {
        OpenTelemetryTracer tracer = new ExclusionCachingTracer();
        if (config.getExcludePatterns() != null) {
            tracer.setExcludePatterns(config.getExcludePatterns());
        }
        if (config.getTraceProcessors() != null) {
            tracer.setTraceProcessors(config.getTraceProcessors());
        }
        tracer.init(camelContext);
        return tracer;
    }

    /** Right after Spring's server observation filter (HIGHEST_PRECEDENCE + 1), which opens the server span. */
    @Bean
    FilterRegistrationBean<ServerSpanHeadersFilter> serverSpanHeadersFilter(ObjectProvider<OpenTelemetry> openTelemetry) {
        var registration = new FilterRegistrationBean<>(new ServerSpanHeadersFilter(
                openTelemetry.getIfAvailable(OpenTelemetry::noop).getPropagators().getTextMapPropagator()));
        registration.addUrlPatterns("/api/*", "/kafka/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
