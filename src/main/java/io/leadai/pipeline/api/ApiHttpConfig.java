package io.leadai.pipeline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.config.AppProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
public class ApiHttpConfig {

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(AppProperties app, ObjectMapper objectMapper) {
        var registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(app.api().maxBodyBytes(), objectMapper));
        registration.addUrlPatterns("/api/*", "/kafka/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
