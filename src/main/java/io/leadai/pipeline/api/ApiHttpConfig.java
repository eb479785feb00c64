package io.leadai.pipeline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.config.AppProperties;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
public class ApiHttpConfig {

    /** First of all: before start-up has finished no route could answer. */
    @Bean
    FilterRegistrationBean<StartupGateFilter> startupGateFilter(ApplicationAvailability availability,
                                                                ObjectMapper objectMapper) {
        var registration = new FilterRegistrationBean<>(new StartupGateFilter(availability, objectMapper));
        registration.addUrlPatterns("/api/*", "/kafka/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(AppProperties app, ObjectMapper objectMapper) {
        var registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(app.api().maxBodyBytes(), objectMapper));
        registration.addUrlPatterns("/api/*", "/kafka/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Every JSON the application writes escapes markup characters (see {@link HtmlSafeJson}). */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer htmlSafeJson() {
        return builder -> builder.postConfigurer(mapper -> mapper.getFactory().setCharacterEscapes(new HtmlSafeJson()));
    }

    /**
     * Tomcat's own refusals in the API's JSON error shape: the error report valve Spring Boot puts on the host is
     * replaced by {@link JsonErrorReportValve} (this customizer runs after Spring Boot's).
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcatErrors() {
        return new JsonTomcatErrors();
    }

    private static final class JsonTomcatErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
            Ordered {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
