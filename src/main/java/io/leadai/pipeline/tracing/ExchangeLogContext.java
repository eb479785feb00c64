package io.leadai.pipeline.tracing;

import java.util.Objects;

import io.leadai.pipeline.event.EventIds;
import org.apache.camel.Exchange;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The MDC of the exchange a thread works on: the ids its beans set ({@link EventIds}), the trace and span id of
 * the span it is in, its exchange id and the route it started in. Every route step opens it
 * ({@link StepLogContext}); code that logs outside a step opens it too (an error handler's redelivery on a
 * recipient list's thread, say). Camel moves an exchange between threads (parallel splits, multicasts, Kafka
 * callbacks, delayed redeliveries), so the thread's own trace context would not do.
 *
 * <p>Only the keys whose value differs from what the thread has are set, and only those are put back: a step runs
 * inside the step that called its route (a split, a recipient list, a {@code to}), which has mostly set the same
 * values, so a step changes few keys or none. Camel's MDC service, which this replaces, copied the whole MDC twice
 * per step, the largest share of the enricher's allocations.
 */
@Component
public class ExchangeLogContext {

    static final String TRACE_ID = "traceId";
    static final String SPAN_ID = "spanId";
    static final String EXCHANGE_ID = "camel.exchangeId";
    static final String ROUTE_ID = "camel.routeId";

    /** The keys, in the order of {@link #values}. */
    static final String[] KEYS = {EventIds.EVENT_ID, EventIds.LEAD_ID, EventIds.TENANT_ID, TRACE_ID, SPAN_ID,
            EXCHANGE_ID, ROUTE_ID};

    private static final Scope NOTHING_CHANGED = () -> {
    };

    private final Traces traces;

    /**
     * The ids of the span this thread last looked at: the steps of an exchange share its span, and reading the ids
     * from Camel's span goes through a W3C header.
     */
    private final ThreadLocal<SpanIds> lastSpan = new ThreadLocal<>();

    public ExchangeLogContext(Traces traces) {
        this.traces = traces;
    }

    /** Sets the exchange's keys until the returned scope is closed, then puts back what was there. */
    public Scope open(Exchange exchange) {
        String[] values = values(exchange);
        String[] before = null;
        int changed = 0;
        for (int i = 0; i < KEYS.length; i++) {
            String now = MDC.get(KEYS[i]);
            if (!Objects.equals(now, values[i])) {
                if (before == null) {
                    before = new String[KEYS.length];
                }
                before[i] = now;
                changed |= 1 << i;
                put(KEYS[i], values[i]);
            }
        }
        if (before == null) {
            return NOTHING_CHANGED;
        }
        String[] previous = before;
        int keys = changed;
        return () -> {
            for (int i = 0; i < KEYS.length; i++) {
                if ((keys & 1 << i) != 0) {
                    put(KEYS[i], previous[i]);
                }
            }
        };
    }

    private String[] values(Exchange exchange) {
        String[] values = new String[KEYS.length];
        values[0] = exchange.getProperty(EventIds.EVENT_ID, String.class);
        values[1] = exchange.getProperty(EventIds.LEAD_ID, String.class);
        values[2] = exchange.getProperty(EventIds.TENANT_ID, String.class);
        Object span = traces.openSpan(exchange);
        if (span != null) {
            SpanIds ids = lastSpan.get();
            if (ids == null || ids.span() != span) {
                TraceContext context = traces.current(exchange);
                ids = new SpanIds(span, context.traceId(), context.spanId());
                lastSpan.set(ids);
            }
            values[3] = ids.traceId();
            values[4] = ids.spanId();
        }
        values[5] = exchange.getExchangeId();
        values[6] = exchange.getFromRouteId();
        return values;
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    private record SpanIds(Object span, String traceId, String spanId) {
    }

    /** A scope that closes without checked exceptions. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
