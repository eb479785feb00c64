package io.leadai.pipeline.tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.leadai.pipeline.event.EventIds;
import io.leadai.pipeline.event.EventJson;
import io.leadai.pipeline.kafka.InboundRecord;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.support.DefaultMessage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A span per record of a Kafka batch, in the trace its producer sent it in.
 *
 * <p>A batch mixes the records of many leads, so it is not one unit of work to trace (the batch consumers are
 * excluded from Camel's tracing, see {@code camel.opentelemetry2.exclude-patterns}). Instead each record gets
 * a {@code process <topic>} consumer span, a child of the W3C context in the record's headers, from the moment
 * its batch is read until its outcome is settled ({@link #end}). The work done for one record continues that
 * span: {@link #context} is what its exchange carries.
 */
@Component
public class RecordSpans {

    private static final String SPAN = RecordSpans.class.getName() + ".span";
    private static final String CONTEXT = RecordSpans.class.getName() + ".context";
    private static final String IDS = RecordSpans.class.getName() + ".ids";

    private static final TextMapGetter<Map<String, Object>> KAFKA_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, Object> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, Object> headers, String key) {
            // Kafka delivers header values as bytes
            return headers == null ? null : TraceContext.text(headers.get(key));
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final EventJson eventJson;
    private final Traces traces;

    public RecordSpans(ObjectProvider<OpenTelemetry> openTelemetry, EventJson eventJson, Traces traces) {
        OpenTelemetry otel = openTelemetry.getIfAvailable(OpenTelemetry::noop);
        this.tracer = otel.getTracer("io.leadai.pipeline");
        this.propagator = otel.getPropagators().getTextMapPropagator();
        this.eventJson = eventJson;
        this.traces = traces;
    }

    /** Starts the span of each record of {@code batch}, the exchange a batching Kafka consumer made of them. */
    public void begin(List<Exchange> records, Exchange batch) {
        String group = batch.getFromEndpoint() instanceof KafkaEndpoint kafka ? kafka.getConfiguration().getGroupId() : null;
        for (Exchange record : records) {
            InboundRecord inbound = InboundRecord.of(record);
            EventIds ids = eventJson.ids(inbound.value());
            Context producer = propagator.extract(Context.root(), record.getMessage().getHeaders(), KAFKA_HEADERS);
            SpanBuilder span = tracer.spanBuilder("process " + inbound.topic())
                    .setSpanKind(SpanKind.CONSUMER)
                    .setParent(producer)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation.type", "process")
                    .setAttribute("messaging.operation.name", "process")
                    .setAttribute("messaging.destination.name", inbound.topic())
                    .setAttribute("messaging.destination.partition.id", String.valueOf(inbound.partition()))
                    .setAttribute("messaging.kafka.offset", inbound.offset())
                    .setAttribute("messaging.batch.message_count", (long) records.size());
            optional(span, "messaging.kafka.message.key", inbound.key());
            optional(span, "messaging.consumer.group.name", group);
            optional(span, EventIds.EVENT_ID, ids.eventId());
            optional(span, EventIds.LEAD_ID, ids.leadId());
            optional(span, EventIds.TENANT_ID, ids.tenantId());
            Span started = span.startSpan();
            Map<String, String> carrier = new HashMap<>();
            propagator.inject(Context.root().with(started), carrier, Map::put);
            record.setProperty(SPAN, started);
            record.setProperty(CONTEXT, TraceContext.of(carrier));
            record.setProperty(IDS, ids);
        }
    }

    /**
     * Starts the records' spans as {@link #begin} does, for a batch whose work is one piece for all its records
     * (a write in one transaction): that work continues the records' trace when they all share one, and its
     * log lines carry the event ids they share.
     */
    public void beginShared(List<Exchange> records, Exchange batch) {
        begin(records, batch);
        Set<String> traceIds = records.stream().map(record -> context(record).traceId()).collect(Collectors.toSet());
        if (traceIds.size() == 1 && !traceIds.contains(null) && !traces.inSpan(batch)) {
            traces.continueTrace(batch, context(records.get(0)));
        }
        EventIds.shared(records.stream().map(RecordSpans::ids).toList()).applyTo(batch);
    }

    /**
     * The record as the message of an exchange of its own, with {@code body}: its headers are the W3C context
     * of the record's span, as a single-record consumer's exchange would carry it. A split over such messages
     * makes each the message of the exchange that works on its record, so the spans Camel starts for that work
     * continue the record's trace.
     */
    public static Message message(Exchange record, Object body) {
        Message message = new DefaultMessage(record.getContext());
        message.setBody(body);
        context(record).headers().forEach(message::setHeader);
        return message;
    }

    /** The W3C context of the record's span, for the exchange that works on the record (none before {@link #begin}). */
    public static TraceContext context(Exchange record) {
        return record.getProperty(CONTEXT, TraceContext.NONE, TraceContext.class);
    }

    /** The record's event ids (none before {@link #begin}). */
    public static EventIds ids(Exchange record) {
        return record.getProperty(IDS, EventIds.NONE, EventIds.class);
    }

    /**
     * Ends the spans of a batch's records once their outcome is settled; a record that did not reach a durable
     * outcome (it is read again later, in a span of its own) ends as an error.
     */
    public static void end(List<Exchange> records, Predicate<Exchange> durable) {
        for (Exchange record : records) {
            Span span = record.getProperty(SPAN, Span.class);
            if (span == null) {
                continue;
            }
            record.removeProperty(SPAN);
            if (!durable.test(record)) {
                span.setStatus(StatusCode.ERROR, "no durable outcome; read again");
            }
            span.end();
        }
    }

    private static void optional(SpanBuilder span, String attribute, String value) {
        if (value != null) {
            span.setAttribute(attribute, value);
        }
    }
}
