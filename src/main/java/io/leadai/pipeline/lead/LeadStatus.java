package io.leadai.pipeline.lead;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a lead is in enrichment: {@code new -> enriching -> enriched | ai_failed}. */
public enum LeadStatus {
    NEW, ENRICHING, ENRICHED, AI_FAILED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LeadStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value().equals(value)).findFirst();
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(LeadStatus::value).toList());
    }
}
