package io.leadai.pipeline.lead;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.api.ApiException;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** Maps rows of select-lead.sql and select-lead-page.sql to what the API answers. */
@Component("leadViews")
public class LeadViews {

    private final ObjectMapper objectMapper;

    public LeadViews(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /** The one lead a lookup found. */
    public LeadView one(@Body List<Map<String, Object>> rows) {
        if (rows == null || rows.isEmpty()) {
            throw ApiException.notFound("lead", "lead_id", "no such lead for this tenant");
        }
        return view(rows.get(0));
    }

    /** A page of leads; the query fetched one row more than the page to tell whether another follows. */
    public LeadPage page(@Body List<Map<String, Object>> rows, @Variable("page_size") int pageSize) {
        List<LeadView> items = rows.stream().limit(pageSize).map(this::view).toList();
        String next = rows.size() > pageSize
                ? new PageCursor(items.get(pageSize - 1).createdAt(), items.get(pageSize - 1).leadId()).encode()
                : null;
        return new LeadPage(items, next);
    }

    LeadView view(Map<String, Object> row) {
        Instant enrichedAt = instant(row.get("enriched_at"));
        LeadView.Enrichment enrichment = enrichedAt == null && row.get("intent") == null ? null
                : new LeadView.Enrichment((String) row.get("intent"), (Double) row.get("intent_confidence"),
                        json((String) row.get("entities")), enrichedAt);
        return new LeadView((UUID) row.get("lead_id"), (String) row.get("tenant_id"),
                (String) row.get("business_id"), (String) row.get("source"), (String) row.get("name"),
                (String) row.get("email"), (String) row.get("phone"), (String) row.get("initial_message"),
                (String) row.get("status"), enrichment, instant(row.get("created_at")),
                instant(row.get("updated_at")));
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return objectMapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored entities are not JSON", e);
        }
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value.getClass().getName());
    }
}
