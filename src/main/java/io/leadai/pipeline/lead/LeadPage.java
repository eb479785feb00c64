package io.leadai.pipeline.lead;

import java.util.List;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One page of the lead list; {@code next} is the {@code after} value of the next page, null on the last. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LeadPage(List<LeadView> items, String next) {
}
