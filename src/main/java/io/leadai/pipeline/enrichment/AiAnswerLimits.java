package io.leadai.pipeline.enrichment;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of an AI service's mapped answer is kept ({@code app.enrichment.answer-limits}): items of an array
 * (and fields of an object), characters of a text, levels of nesting. See {@link AiAnswerBounds}.
 */
@ConfigurationProperties("app.enrichment.answer-limits")
public record AiAnswerLimits(@DefaultValue("100") int maxItems, @DefaultValue("1000") int maxTextLength,
                             @DefaultValue("8") int maxDepth) {
}
