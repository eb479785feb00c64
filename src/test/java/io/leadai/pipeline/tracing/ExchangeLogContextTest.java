package io.leadai.pipeline.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import io.leadai.pipeline.event.EventIds;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

class ExchangeLogContextTest {

    private final DefaultListableBeanFactory noBeans = new DefaultListableBeanFactory();
    private final ExchangeLogContext logContext = new ExchangeLogContext(new Traces(
            noBeans.getBeanProvider(OpenTelemetryTracer.class), noBeans.getBeanProvider(OpenTelemetry.class)));
    private final CamelContext camel = new DefaultCamelContext();

    @AfterEach
    void clear() throws Exception {
        MDC.clear();
        camel.close();
    }

    @Test
    void setsTheExchangesIdsAndPutsBackWhatTheThreadHad() {
        MDC.put(EventIds.EVENT_ID, "the thread's own");
        MDC.put(EventIds.TENANT_ID, "another tenant");
        Exchange exchange = exchange("e-1", "l-1", null);

        try (ExchangeLogContext.Scope ignored = logContext.open(exchange)) {
            assertThat(MDC.get(EventIds.EVENT_ID)).isEqualTo("e-1");
            assertThat(MDC.get(EventIds.LEAD_ID)).isEqualTo("l-1");
            // the exchange has no tenant: another exchange's must not show in its lines
            assertThat(MDC.get(EventIds.TENANT_ID)).isNull();
            assertThat(MDC.get(ExchangeLogContext.EXCHANGE_ID)).isEqualTo(exchange.getExchangeId());
        }

        assertThat(MDC.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(
                Map.of(EventIds.EVENT_ID, "the thread's own", EventIds.TENANT_ID, "another tenant"));
    }

    @Test
    void aNestedStepOfTheSameExchangeLeavesTheOuterValuesInPlace() {
        Exchange exchange = exchange("e-1", "l-1", "t-1");
        try (ExchangeLogContext.Scope outer = logContext.open(exchange)) {
            Map<String, String> set = MDC.getCopyOfContextMap();
            logContext.open(exchange).close();
            assertThat(MDC.getCopyOfContextMap()).isEqualTo(set);
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void everyRouteStepLogsWithTheIdsAnEarlierStepSet() throws Exception {
        Map<String, String> seen = new HashMap<>();
        camel.getCamelContextExtension().addInterceptStrategy(new StepLogContext(logContext));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:work").routeId("work")
                        .process(e -> new EventIds("e-7", "l-7", "t-7").applyTo(e))
                        .process(e -> seen.putAll(MDC.getCopyOfContextMap()));
            }
        });
        camel.start();

        camel.createProducerTemplate().sendBody("direct:work", "a record");

        assertThat(seen).containsEntry(EventIds.EVENT_ID, "e-7").containsEntry(EventIds.LEAD_ID, "l-7")
                .containsEntry(EventIds.TENANT_ID, "t-7").containsEntry(ExchangeLogContext.ROUTE_ID, "work");
        // nothing of the exchange stays with the thread once the route is done
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    private Exchange exchange(String eventId, String leadId, String tenantId) {
        Exchange exchange = new DefaultExchange(camel);
        new EventIds(eventId, leadId, tenantId).applyTo(exchange);
        return exchange;
    }
}
