package io.leadai.pipeline.tracing;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A W3C trace context as it travels between steps that do not share a thread: the {@code traceparent} and
 * {@code tracestate} header values, kept with an outbox row and carried in Kafka record headers.
 */
public record TraceContext(String traceparent, String tracestate) {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final TraceContext NONE = new TraceContext(null, null);

    /** The context in a header map whose values are text or, as Kafka delivers them, UTF-8 bytes. */
    public static TraceContext of(Map<String, ?> headers) {
        return new TraceContext(text(headers.get(TRACEPARENT)), text(headers.get(TRACESTATE)));
    }

    public boolean isPresent() {
        return traceparent != null;
    }

    /** The 32 hex digits of the trace id, or null. */
    public String traceId() {
        return traceparent != null && traceparent.length() >= 35 ? traceparent.substring(3, 35) : null;
    }

    /** The 16 hex digits of the span id, or null. */
    public String spanId() {
        return traceparent != null && traceparent.length() >= 52 ? traceparent.substring(36, 52) : null;
    }

    /** The context as headers, without the absent ones. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (traceparent != null) {
            headers.put(TRACEPARENT, traceparent);
            if (tracestate != null && !tracestate.isEmpty()) {
                headers.put(TRACESTATE, tracestate);
            }
        }
        return headers;
    }

    /** The named parameters of the outbox statements. */
    public Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put(TRACEPARENT, traceparent);
        parameters.put(TRACESTATE, tracestate == null || tracestate.isEmpty() ? null : tracestate);
        return parameters;
    }

    /** A header value as text: Kafka delivers them as UTF-8 bytes. */
    static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return value == null ? null : value.toString();
    }
}
