package io.leadai.pipeline.enrichment;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.leadai.pipeline.schema.StorableText;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * AI answers are untrusted input. After an answer is mapped (the jq of its route in
 * enricher-ask-ai-service.camel.yaml) and before it becomes part of {@code ai.process.result}, what is merely too
 * much is cut to size and said so; what cannot be data is refused:
 * <ul>
 *   <li>an array over {@code max-items} keeps its first items, an object its first fields; a text over
 *       {@code max-text-length} keeps its first characters (never half a surrogate pair). Each cut is named in the
 *       result's {@code truncated} list, as {@code entities} or {@code entities[3].value};</li>
 *   <li>nesting deeper than {@code max-depth}, a number that is not finite, a NUL character or half a surrogate
 *       pair make the answer unreadable: {@link UnreadableAnswerException}, a permanent failure, so the record is
 *       dead-lettered with the reason (an optional service's part is left out instead).</li>
 * </ul>
 * Wrong types (a confidence as text, entities as an object, an intent as a number) are left as they are here;
 * the result's JSON Schema refuses them next, with the field named.
 */
@Component("aiAnswerBounds")
public class AiAnswerBounds {

    /** Header of a service's route: the paths its answer was cut at. */
    public static final String TRUNCATED = "ai_truncated";

    private static final Logger log = LoggerFactory.getLogger(AiAnswerBounds.class);

    private final AiAnswerLimits limits;

    public AiAnswerBounds(AiAnswerLimits limits) {
        this.limits = limits;
    }

    /** Called by the ask-ai-service template with the mapped answer of the service whose part is {@code ai_part}. */
    public JsonNode bound(@Body JsonNode answer, @Header(EnrichmentAnswers.PART) String part, Exchange exchange) {
        List<String> truncated = new ArrayList<>();
        JsonNode bounded = bound(part, answer, truncated);
        if (!truncated.isEmpty()) {
            log.warn("AI answer for part {} cut to size at {}", part, truncated);
            exchange.getMessage().setHeader(TRUNCATED, truncated);
        }
        return bounded;
    }

    /** An answer within the limits, and the paths cut to fit them (appended to {@code truncated}). */
    public JsonNode bound(String part, JsonNode answer, List<String> truncated) {
        return bound(answer, part, 1, truncated);
    }

    private JsonNode bound(JsonNode node, String path, int depth, List<String> truncated) {
        if (node == null) {
            return null;
        }
        if (depth > limits.maxDepth() && node.isContainerNode()) {
            throw new UnreadableAnswerException("the AI answer is nested deeper than " + limits.maxDepth()
                    + " levels at " + path);
        }
        if (node.isTextual()) {
            return text(node.textValue(), path, truncated);
        }
        if (node.isNumber() && !Double.isFinite(node.asDouble())) {
            throw new UnreadableAnswerException("the AI answer has a number that is not finite at " + path);
        }
        if (node.isArray()) {
            ArrayNode bounded = JsonNodeFactory.instance.arrayNode();
            int kept = Math.min(node.size(), limits.maxItems());
            if (kept < node.size()) {
                truncated.add(path);
            }
            for (int i = 0; i < kept; i++) {
                bounded.add(bound(node.get(i), path + "[" + i + "]", depth + 1, truncated));
            }
            return bounded;
        }
        if (node.isObject()) {
            ObjectNode bounded = JsonNodeFactory.instance.objectNode();
            int fields = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (++fields > limits.maxItems()) {
                    truncated.add(path);
                    break;
                }
                String name = field.getKey();
                String problem = StorableText.problem(name);
                if (problem != null || name.length() > limits.maxTextLength()) {
                    throw new UnreadableAnswerException("the AI answer has a field name at " + path + " that "
                            + (problem != null ? problem : "is over " + limits.maxTextLength() + " characters"));
                }
                bounded.set(name, bound(field.getValue(), path + "." + name, depth + 1, truncated));
            }
            return bounded;
        }
        return node;
    }

    private JsonNode text(String text, String path, List<String> truncated) {
        String problem = StorableText.problem(text);
        if (problem != null) {
            throw new UnreadableAnswerException("the AI answer's text at " + path + " " + problem);
        }
        if (text.length() <= limits.maxTextLength()) {
            return TextNode.valueOf(text);
        }
        truncated.add(path);
        int end = limits.maxTextLength();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return TextNode.valueOf(text.substring(0, end));
    }
}
