package io.leadai.pipeline.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.leadai.pipeline.enrichment.AiServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EndpointHelper;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.util.StringHelper;
import org.springframework.stereotype.Component;

/**
 * Latency of each AI service, as {@code leadai_ai_request_seconds{service, outcome}}: every exchange Camel
 * sends to the URL configured as {@code ai.<service>.url} is timed, whichever route sends it. Tying the
 * timer to the configured URL, not to a route or step id, keeps it right however the routes calling the
 * services are arranged, and a service added under {@code ai.} is timed without a change here.
 */
@Component
public class AiRequestTimer extends EventNotifierSupport {

    /** Prometheus: {@code leadai_ai_request_seconds_bucket}, {@code _count}, {@code _sum}, {@code _max}. */
    public static final String NAME = "leadai.ai.request";

    private final MeterRegistry registry;
    /** The service name by its URL without the query, as Camel's endpoints show it. */
    private final Map<String, String> serviceByUrl = new HashMap<>();

    public AiRequestTimer(MeterRegistry registry, AiServices services) {
        this.registry = registry;
        services.configured().forEach((service, config) -> {
            if (config.url() != null) {
                serviceByUrl.put(withoutQuery(EndpointHelper.normalizeEndpointUri(config.url())), service);
                // both series from the start, so a dashboard finds them before the first call
                timer(service, "success");
                timer(service, "failure");
            }
        });
        // only sent exchanges matter here; Camel then creates no other events for this notifier
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        ExchangeSentEvent sent = (ExchangeSentEvent) event;
        String service = service(sent.getEndpoint());
        if (service != null) {
            timer(service, sent.getExchange().isFailed() ? "failure" : "success")
                    .record(sent.getTimeTaken(), TimeUnit.MILLISECONDS);
        }
    }

    private String service(Endpoint endpoint) {
        return endpoint == null ? null : serviceByUrl.get(withoutQuery(endpoint.getEndpointUri()));
    }

    private Timer timer(String service, String outcome) {
        return Timer.builder(NAME)
                .description("Calls to an AI service: from sending the request to the answer or the failure")
                .tag("service", service)
                .tag("outcome", outcome)
                .register(registry);
    }

    private static String withoutQuery(String uri) {
        return StringHelper.before(uri, "?", uri);
    }
}
