package io.leadai.pipeline.enrichment;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Gathers the AI services' mapped answers, each branch of the multicast naming its part in the
 * {@value #PART} header ({@code intent}, {@code entities}, or any part a further enricher adds), into one
 * map of part name to answer. An optional service that failed names itself in {@value #SKIPPED} instead.
 */
@Component("enrichmentAnswers")
public class EnrichmentAnswers implements AggregationStrategy {

    public static final String PART = "ai_part";

    /** Set instead of {@link #PART} by an optional service that failed (ai.&lt;service&gt;.required=false). */
    public static final String SKIPPED = "ai_skipped";

    /** The field of ai.process.result that lists what {@link AiAnswerBounds} cut to size. */
    public static final String TRUNCATED = "truncated";

    @Override
    public Exchange aggregate(Exchange collected, Exchange branch) {
        Exchange target = collected != null ? collected : branch;
        if (collected != null && collected.getException() != null) {
            // an earlier service failed: the record fails with it, whatever the others answered
            return collected;
        }
        @SuppressWarnings("unchecked")
        Map<String, JsonNode> parts = collected == null ? new TreeMap<>()
                : (Map<String, JsonNode>) collected.getMessage().getBody(Map.class);
        if (branch.getException() != null) {
            // keep the failure for enrich-record's error handler, which retries or dead-letters the record
            target.setException(branch.getException());
            return target;
        }
        String part = branch.getMessage().getHeader(PART, String.class);
        if (branch.getMessage().getHeader(SKIPPED) != null) {
            // an optional service that failed: its part is left out
            target.getMessage().setBody(parts);
            return target;
        }
        if (part == null) {
            throw new IllegalStateException("a multicast branch did not name its part in header " + PART);
        }
        parts.put(part, branch.getMessage().getBody(JsonNode.class));
        List<?> cuts = branch.getMessage().getHeader(AiAnswerBounds.TRUNCATED, List.class);
        if (cuts != null && !cuts.isEmpty()) {
            // every service's cuts in one list, the result's "truncated" field
            ArrayNode truncated = (ArrayNode) parts.computeIfAbsent(TRUNCATED, k -> JsonNodeFactory.instance.arrayNode());
            cuts.forEach(cut -> truncated.add(String.valueOf(cut)));
        }
        target.getMessage().setBody(parts);
        return target;
    }
}
