package io.leadai.pipeline.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TraceContextTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void readsKafkaHeaderBytesAsWellAsText() {
        TraceContext fromKafka = TraceContext.of(Map.of("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8),
                "tracestate", "vendor=1".getBytes(StandardCharsets.UTF_8)));
        TraceContext fromCamel = TraceContext.of(Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=1"));

        assertThat(fromKafka).isEqualTo(fromCamel).isEqualTo(new TraceContext(TRACEPARENT, "vendor=1"));
        assertThat(fromKafka.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(fromKafka.spanId()).isEqualTo("00f067aa0ba902b7");
    }

    @Test
    void anAbsentContextWritesNoHeadersAndNullColumns() {
        TraceContext none = TraceContext.of(Map.of("host", "example.org"));

        assertThat(none.isPresent()).isFalse();
        assertThat(none.traceId()).isNull();
        assertThat(none.headers()).isEmpty();
        assertThat(none.parameters()).containsEntry("traceparent", null).containsEntry("tracestate", null);
    }

    @Test
    void anEmptyTracestateIsLeftOut() {
        TraceContext context = new TraceContext(TRACEPARENT, "");

        assertThat(context.headers()).containsOnlyKeys("traceparent");
        assertThat(context.parameters()).containsEntry("tracestate", null);
    }
}
