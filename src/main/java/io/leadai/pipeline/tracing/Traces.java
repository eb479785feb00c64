package io.leadai.pipeline.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.SpanLifecycleManager;
import org.apache.camel.telemetry.SpanStorageManager;
import org.apache.camel.telemetry.SpanStorageManagerExchange;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Hands a trace over where Camel's tracing cannot follow by itself: from a request into the outbox row it
 * writes, and from an outbox row (or a record taken from a batch) into the exchange that works for it.
 */
@Component
public class Traces {

    /** Camel's tracing keeps an exchange's open spans on the exchange itself; this reads and edits that stack. */
    private static final SpanStorageManager CAMEL_SPANS = new SpanStorageManagerExchange();

    /** Looked up once: a lookup in the bean factory for every step of every exchange cost a tenth of the CPU. */
    private final SingletonSupplier<OpenTelemetryTracer> camelTracer;
    private final TextMapPropagator propagator;

    public Traces(ObjectProvider<OpenTelemetryTracer> camelTracer, ObjectProvider<OpenTelemetry> openTelemetry) {
        this.camelTracer = SingletonSupplier.of(camelTracer::getIfAvailable);
        this.propagator = openTelemetry.getIfAvailable(OpenTelemetry::noop).getPropagators().getTextMapPropagator();
    }

    /**
     * The context of the span the exchange is in now: the one whose trace work started later from what
     * this exchange writes (an outbox row) must continue.
     */
    public TraceContext current(Exchange exchange) {
        Map<String, String> carrier = new HashMap<>();
        Span span = CAMEL_SPANS.peek(exchange);
        OpenTelemetryTracer tracer = camelTracer.get();
        SpanLifecycleManager spans = tracer == null ? null : tracer.getSpanLifecycleManager();
        if (span != null && spans != null) {
            spans.inject(span, carrier::put, false);
        } else {
            // Camel's tracing is off: whatever the thread carries (the HTTP server span, say)
            propagator.inject(Context.current(), carrier, Map::put);
        }
        return TraceContext.of(carrier);
    }

    /** The span Camel has open for the exchange, or null: tells whether {@link #current} may have changed. */
    Object openSpan(Exchange exchange) {
        return CAMEL_SPANS.peek(exchange);
    }

    /** True when Camel traces the exchange's own work: it has a span open. */
    public boolean inSpan(Exchange exchange) {
        return CAMEL_SPANS.peek(exchange) != null;
    }

    /**
     * From now on the spans Camel starts for this exchange continue {@code context} instead of the trace the
     * exchange inherited (a relay batch, a Kafka batch): Camel takes a new span's parent from the W3C headers
     * when the exchange has no open span of its own. The inherited spans stay open on the exchanges they
     * belong to and end there.
     */
    public void continueTrace(Exchange exchange, TraceContext context) {
        while (CAMEL_SPANS.pull(exchange) != null) {
            // leave every inherited span
        }
        Message message = exchange.getMessage();
        message.removeHeader(TraceContext.TRACEPARENT);
        message.removeHeader(TraceContext.TRACESTATE);
        context.headers().forEach(message::setHeader);
    }
}
