package io.leadai.pipeline.tracing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;

/**
 * Camel's OpenTelemetry tracer, deciding once per endpoint URI whether {@code camel.opentelemetry2.exclude-patterns}
 * excludes it. Camel 4.17's tracer matches every pattern against the URI on every exchange event, compiling
 * each pattern as a regular expression each time: with a dozen patterns that was about a quarter of the enricher's
 * CPU. The routes use a fixed set of URIs, so the cache stays small; past its bound it stops growing and the
 * tracer decides as before.
 */
public class ExclusionCachingTracer extends OpenTelemetryTracer {

    static final int MAX_CACHED_URIS = 10_000;

    private final Map<String, Boolean> excluded = new ConcurrentHashMap<>();

    @Override
    public boolean exclude(String endpointUri, CamelContext context) {
        if (endpointUri == null) {
            return false;
        }
        Boolean known = excluded.get(endpointUri);
        if (known != null) {
            return known;
        }
        boolean exclude = super.exclude(endpointUri, context);
        if (excluded.size() < MAX_CACHED_URIS) {
            excluded.put(endpointUri, exclude);
        }
        return exclude;
    }

    @Override
    public void setExcludePatterns(String excludePatterns) {
        super.setExcludePatterns(excludePatterns);
        excluded.clear();
    }
}
