package io.leadai.pipeline.enrichment;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Gathers the AI services' mapped answers, each branch of the multicast naming its part in the
 * {@value #PART} header ({@code intent}, {@code entities}, or any part a further enricher adds), into one
 * map of part name to answer.
 */
@Component("enrichmentAnswers")
public class EnrichmentAnswers implements AggregationStrategy {

    public static final String PART = "ai_part";

    @Override
    public Exchange aggregate(Exchange collected, Exchange branch) {
        Exchange target = collected != null ? collected : branch;
        @SuppressWarnings("unchecked")
        Map<String, JsonNode> parts = collected == null ? new TreeMap<>()
                : (Map<String, JsonNode>) collected.getMessage().getBody(Map.class);
        if (branch.getException() != null) {
            // the multicast stops on a failed branch: keep its exception for the error handler
            target.setException(branch.getException());
            return target;
        }
        String part = branch.getMessage().getHeader(PART, String.class);
        if (part == null) {
            throw new IllegalStateException("a multicast branch did not name its part in header " + PART);
        }
        parts.put(part, branch.getMessage().getBody(JsonNode.class));
        target.getMessage().setBody(parts);
        return target;
    }
}
