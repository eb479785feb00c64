package io.leadai.pipeline.enrichment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.kafka.DeadLetters.DeadLetter;
import io.leadai.pipeline.kafka.FailureKind;
import io.leadai.pipeline.kafka.InboundRecord;
import io.leadai.pipeline.kafka.DeadLetters;
import io.leadai.pipeline.metrics.FailureCounters;
import io.leadai.pipeline.tracing.ExchangeLogContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a failed enrichment means. Transient: the service could not be reached, timed out, answered 5xx or
 * 429 — retried with backoff. Everything else (another 4xx, an unreadable answer, an invalid event) is
 * permanent and dead-lettered at once. A transient failure that outlasts its retries is dead-lettered only
 * while every required service's circuit is closed; otherwise the service is down, and the record waits for it.
 */
@Component("aiFailures")
public class AiFailures {

    private static final Logger log = LoggerFactory.getLogger(AiFailures.class);

    /** Variable counting the redeliveries of a record, kept by {@link #countRedelivery}. */
    static final String REDELIVERIES = "redeliveries";

    private final AiServices services;
    private final String consumerGroup;
    private final FailureCounters counters;
    private final ExchangeLogContext logContext;

    public AiFailures(AiServices services, AppProperties app, FailureCounters counters, ExchangeLogContext logContext) {
        this.services = services;
        this.logContext = logContext;
        this.consumerGroup = app.kafka().groups().enricher();
        this.counters = counters;
    }

    /** onWhen of the retried failures. */
    public boolean isTransient(@ExchangeException Throwable failure) {
        return transientFailure(failure);
    }

    /** Also what the circuit breakers count: a 400 for one odd request says nothing about the service. */
    public static boolean transientFailure(Throwable failure) {
        return FailureKind.of(failure).isTransient();
    }

    /**
     * onRedelivery of the retried failures: the dead letter says how many attempts were made,
     * {@code leadai_ai_redeliveries_total} counts them by source topic and failure kind, and a log line names
     * the record (event, lead, tenant, trace), which Camel's own retry line cannot on the thread it runs on.
     */
    public void countRedelivery(Exchange exchange) {
        int redelivery = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        exchange.setVariable(REDELIVERIES, redelivery);
        InboundRecord record = exchange.getVariable("record", InboundRecord.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FailureKind kind = FailureKind.of(failure);
        counters.redelivery(record == null ? null : record.topic(), kind);
        try (ExchangeLogContext.Scope ignored = logContext.open(exchange)) {
            log.info("AI call failed ({}), redelivery {} of record {}: {}", kind.tag(), redelivery,
                    record == null ? "?" : record.topic() + "/" + record.partition() + "/" + record.offset(),
                    DeadLetters.DeadLetter.unwrap(failure).getMessage());
        }
    }

    /**
     * True when a failure says nothing about the record because the application is stopping: Camel refuses work to
     * processors already stopped ({@link RejectedExecutionException}) and interrupts what outlasts the shutdown
     * timeout.
     */
    static boolean cutShortByStop(CamelContext camel, Throwable failure) {
        if (camel.isStopping()) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RejectedExecutionException || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }

    /** The failure's cause when it says an AI service could not be asked at all (its route not started yet). */
    static AiServiceUnavailableException unavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AiServiceUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }

    /** True while every required AI service's circuit lets calls through. */
    public boolean servicesUp() {
        return services.requiredCircuits().stream().allMatch(b -> b.getState() == CircuitBreaker.State.CLOSED
                || b.getState() == CircuitBreaker.State.HALF_OPEN);
    }

    /** Each AI service's circuit by name, in a stable order, for the readiness check. */
    public Map<String, CircuitBreaker.State> circuitStates() {
        Map<String, CircuitBreaker.State> states = new LinkedHashMap<>();
        services.requiredCircuits().forEach(b -> states.put(b.getName(), b.getState()));
        return states;
    }

    /**
     * The dead letter of the record that failed on this exchange.
     *
     * @throws AiServiceUnavailableException for a transient failure while a circuit is open: that record is
     *         not dead, its service is, and it must be read again later
     * @throws ApplicationStoppingException for work cut short because the application is stopping
     */
    public DeadLetter deadLetter(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        AiServiceUnavailableException unavailable = unavailable(failure);
        if (unavailable != null) {
            throw unavailable;
        }
        if (cutShortByStop(exchange.getContext(), failure)) {
            throw new ApplicationStoppingException("The application is stopping; the record is kept for the next run",
                    failure);
        }
        if (transientFailure(failure) && services.requiredCircuits().stream()
                .anyMatch(b -> b.getState() != CircuitBreaker.State.CLOSED)) {
            throw new AiServiceUnavailableException("AI service down; the record is kept for when it is back", failure);
        }
        InboundRecord record = exchange.getVariable("record", InboundRecord.class);
        int redeliveries = exchange.getVariable(REDELIVERIES, 0, Integer.class);
        String routeId = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        return DeadLetter.of(record, consumerGroup, routeId, failure, redeliveries + 1);
    }
}
