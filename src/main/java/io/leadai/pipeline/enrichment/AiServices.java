package io.leadai.pipeline.enrichment;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.leadai.pipeline.config.AppProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Variable;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The AI services the enricher calls. A service is a route made from the {@code ask-ai-service} template
 * (routes/enricher-ask-ai-service.camel.yaml) plus its properties {@code ai.<name>.url} and, optionally,
 * {@code ai.<name>.required}. Every configured service gets a circuit breaker, bound in Camel's registry as
 * {@code <name>CircuitBreaker} for the template's circuitBreaker step; adding a service needs no Java.
 */
@Component("aiServices")
public class AiServices implements CamelContextConfiguration {

    /** The route group of the template's routes: enrich-record calls every route in it. */
    public static final String ROUTE_GROUP = "ai-services";

    /** Variable naming the service a template route is calling. */
    static final String SERVICE = "ai_service";

    /**
     * One service's properties. A required service's failure fails the record (retried, then dead-lettered)
     * and its outage pauses consumption; an optional one is asked once and its part left out when it fails.
     */
    public record Service(String url, @DefaultValue("true") boolean required) {
    }

    private static final Logger log = LoggerFactory.getLogger(AiServices.class);

    private final Map<String, Service> services;
    private final Map<String, CircuitBreaker> breakers = new TreeMap<>();

    private volatile CamelContext camel;

    /**
     * Set once the application has started: Camel's supervising route controller starts the routes after the
     * context, the template's routes last, and Spring Boot publishes {@link ApplicationStartedEvent} after that.
     */
    private volatile boolean routesStarted;

    public AiServices(Environment environment, AppProperties app) {
        this.services = new TreeMap<>(Binder.get(environment)
                .bind("ai", Bindable.mapOf(String.class, Service.class)).orElse(Map.of()));
        CircuitBreakerConfig config = breakerConfig(app.enrichment().circuitBreaker());
        services.forEach((name, service) -> {
            CircuitBreaker breaker = CircuitBreaker.of(name, config);
            breaker.getEventPublisher().onStateTransition(event ->
                    log.warn("AI service {}: circuit {}", name, event.getStateTransition()));
            breakers.put(name, breaker);
        });
    }

    /** Binds the breakers before the routes start (no dependency on Camel when built: metrics use this bean). */
    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        this.camel = camelContext;
        breakers.forEach((name, breaker) -> camelContext.getRegistry().bind(name + "CircuitBreaker", breaker));
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
    }

    @EventListener(ApplicationStartedEvent.class)
    public void applicationStarted() {
        routesStarted = true;
    }

    /** Every configured service by name (each {@code ai.<name>.url}). */
    public Map<String, Service> configured() {
        return java.util.Collections.unmodifiableMap(services);
    }

    /**
     * The recipient list of enrich-record: the endpoint of every loaded AI service route. The only method of this
     * name: Camel's bean binding would try to fill another one's parameters from the message.
     */
    public List<String> endpoints() {
        return serviceEndpoints(camel, routesStarted);
    }

    /**
     * The endpoints of the AI service routes (group {@value #ROUTE_GROUP}).
     *
     * @param routesStarted whether the start-up has started every route: the enricher can take records before the
     *        template's routes are up, and they are added one by one, so until then a record could find the intent
     *        service's route and not yet the entity service's
     * @throws AiServiceUnavailableException until then, while there is no such route, or while one is not started:
     *         a record is not enriched without every service
     */
    static List<String> serviceEndpoints(CamelContext camel, boolean routesStarted) {
        if (!routesStarted) {
            throw new AiServiceUnavailableException("the application is still starting its routes; the record is kept",
                    null);
        }
        List<Route> routes = camel.getRoutes().stream().filter(route -> ROUTE_GROUP.equals(route.getGroup())).toList();
        List<String> notStarted = routes.stream().map(Route::getRouteId)
                .filter(id -> !camel.getRouteController().getRouteStatus(id).isStarted()).toList();
        if (routes.isEmpty() || !notStarted.isEmpty()) {
            throw new AiServiceUnavailableException("the AI service routes are not started yet"
                    + (notStarted.isEmpty() ? "" : " " + notStarted) + "; the record is kept", null);
        }
        return routes.stream().map(route -> route.getEndpoint().getEndpointUri()).sorted().toList();
    }

    /** doCatch onWhen of the template: an optional service's failure leaves its part out. */
    public boolean isOptional(@Variable(SERVICE) String service) {
        Service configured = services.get(service);
        return configured != null && !configured.required();
    }

    public CircuitBreaker circuitBreaker(String service) {
        CircuitBreaker breaker = breakers.get(service);
        if (breaker == null) {
            throw new IllegalArgumentException("no AI service '" + service + "' (property ai." + service + ".url)");
        }
        return breaker;
    }

    /** The circuits of the required services: while one is open, the enricher waits instead of dead-lettering. */
    public Collection<CircuitBreaker> requiredCircuits() {
        return breakers.values().stream().filter(b -> services.get(b.getName()).required()).toList();
    }

    private static CircuitBreakerConfig breakerConfig(AppProperties.Breaker breaker) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(breaker.failureRateThreshold())
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                .waitDurationInOpenState(breaker.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
                // the consumer stops calling while the circuit is open: the circuit must half-open by itself
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .recordException(AiFailures::transientFailure)
                .build();
    }
}
