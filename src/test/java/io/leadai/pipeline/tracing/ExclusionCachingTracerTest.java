package io.leadai.pipeline.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.junit.jupiter.api.Test;

class ExclusionCachingTracerTest {

    private static final String PATTERNS = "scheduler:*, direct:wake-outbox-relay, sql:classpath:sql/claim-outbox.sql*,"
            + " kafka:.*batching=true.*";
    private static final List<String> URIS = List.of(
            "scheduler://relay-outbox?delay=500",
            "direct://wake-outbox-relay",
            "direct://enrich-record",
            "sql://classpath:sql/claim-outbox.sql?outputType=SelectList",
            "sql://classpath:sql/upsert-ai-result.sql",
            "kafka://lead.created?batching=true&maxPollRecords=200",
            "kafka://ai.process.result",
            "http://localhost:8090/intent");

    private final CamelContext context = new DefaultCamelContext();

    @Test
    void decidesAsCamelsTracerDoes() {
        OpenTelemetryTracer camels = new OpenTelemetryTracer();
        camels.setExcludePatterns(PATTERNS);
        ExclusionCachingTracer caching = new ExclusionCachingTracer();
        caching.setExcludePatterns(PATTERNS);

        for (int round = 0; round < 2; round++) {
            for (String uri : URIS) {
                assertThat(caching.exclude(uri, context)).as(uri).isEqualTo(camels.exclude(uri, context));
            }
        }
        assertThat(URIS).filteredOn(uri -> caching.exclude(uri, context)).containsExactly(
                "scheduler://relay-outbox?delay=500", "direct://wake-outbox-relay",
                "sql://classpath:sql/claim-outbox.sql?outputType=SelectList",
                "kafka://lead.created?batching=true&maxPollRecords=200");
    }

    @Test
    void newPatternsReplaceEarlierDecisions() {
        ExclusionCachingTracer tracer = new ExclusionCachingTracer();
        tracer.setExcludePatterns("direct:enrich-record");
        assertThat(tracer.exclude("direct://enrich-record", context)).isTrue();

        tracer.setExcludePatterns("direct:other");
        assertThat(tracer.exclude("direct://enrich-record", context)).isFalse();
    }

    @Test
    void withoutPatternsNothingIsExcluded() {
        assertThat(new ExclusionCachingTracer().exclude("direct://enrich-record", context)).isFalse();
        assertThat(new ExclusionCachingTracer().exclude(null, context)).isFalse();
    }
}
