package io.leadai.pipeline.tracing;

import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
public class TracingConfig {

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
