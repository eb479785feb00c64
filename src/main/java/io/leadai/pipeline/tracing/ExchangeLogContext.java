package io.leadai.pipeline.tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.leadai.pipeline.event.EventIds;
import org.apache.camel.Exchange;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The MDC of one exchange for a log line written outside a route step, where neither Camel's MDC service nor
 * {@link SpanLogContext} has set it (an error handler's redelivery on a recipient list's thread, say): the
 * exchange's trace and span ids and the event ids its beans set as properties ({@link EventIds}).
 */
@Component
public class ExchangeLogContext {

    private static final List<String> EVENT_KEYS = List.of(EventIds.EVENT_ID, EventIds.LEAD_ID, EventIds.TENANT_ID);

    private final Traces traces;

    public ExchangeLogContext(Traces traces) {
        this.traces = traces;
    }

    /** Sets the exchange's keys until the returned scope is closed, then puts back what was there. */
    public Scope open(Exchange exchange) {
        Map<String, String> keys = new HashMap<>();
        if (traces.inSpan(exchange)) {
            TraceContext context = traces.current(exchange);
            if (context.isPresent()) {
                keys.put(SpanLogContext.TRACE_ID, context.traceId());
                keys.put(SpanLogContext.SPAN_ID, context.spanId());
            }
        }
        for (String key : EVENT_KEYS) {
            String value = exchange.getProperty(key, String.class);
            if (value != null) {
                keys.put(key, value);
            }
        }
        Map<String, String> before = new HashMap<>();
        keys.forEach((key, value) -> {
            before.put(key, MDC.get(key));
            MDC.put(key, value);
        });
        return () -> before.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }

    /** A scope that closes without checked exceptions. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
