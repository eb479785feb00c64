package io.leadai.pipeline.lead;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadai.pipeline.api.ApiException;
import io.leadai.pipeline.api.JsonRequests;
import io.leadai.pipeline.api.PathIds;
import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.event.AiProcessRequest;
import io.leadai.pipeline.event.EventIds;
import io.leadai.pipeline.event.EventJson;
import io.leadai.pipeline.event.LeadCreated;
import io.leadai.pipeline.event.LeadMessage;
import io.leadai.pipeline.outbox.OutboxRow;
import io.leadai.pipeline.security.AuthenticatedTenant;
import io.leadai.pipeline.security.TenantIds;
import io.leadai.pipeline.tracing.Traces;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * Checks what the lead API receives and turns it into the SQL parameters of the rows to write: the lead
 * or message itself and, for the same transaction, its event in the outbox, with the request's trace context.
 */
@Component("leadIntake")
public class LeadIntake {

    private final JsonRequests jsonRequests;
    private final EventJson eventJson;
    private final AppProperties app;
    private final Clock clock;
    private final Traces traces;

    public LeadIntake(JsonRequests jsonRequests, EventJson eventJson, AppProperties app, Clock clock, Traces traces) {
        this.jsonRequests = jsonRequests;
        this.eventJson = eventJson;
        this.app = app;
        this.clock = clock;
        this.traces = traces;
    }

    /** {@code POST /api/v1/leads}: parameters of insert-lead.sql; the lead is the caller's tenant's. */
    public Map<String, Object> newLead(@Body String body, @Header(Exchange.CONTENT_TYPE) String contentType,
                                       @Variable(AuthenticatedTenant.VARIABLE) String tenantId, Exchange exchange) {
        ObjectNode json = jsonRequests.read(body, contentType, "create-lead");
        String tenant = AuthenticatedTenant.check(tenantId(tenantId), text(json, "tenant_id"));
        Instant now = now();
        UUID leadId = UUID.randomUUID();
        LeadCreated event = new LeadCreated(UUID.randomUUID(), LeadCreated.TYPE, now,
                tenant, text(json, "business_id"), leadId, text(json, "initial_message"),
                text(json, "source"), text(json, "name"), text(json, "email"), text(json, "phone"));

        Map<String, Object> row = new HashMap<>();
        row.put("lead_id", leadId);
        row.put("tenant_id", event.tenantId());
        row.put("business_id", event.businessId());
        row.put("source", event.source());
        row.put("name", event.name());
        row.put("email", event.email());
        row.put("phone", event.phone());
        row.put("initial_message", event.initialMessage());
        row.putAll(outbox(exchange, event.eventId(), app.topics().leadCreated(), event, event.tenantId(), leadId, now));
        return row;
    }

    /** {@code GET /api/v1/leads/{lead_id}} and the other operations on one lead: parameters of select-lead.sql. */
    public Map<String, Object> lookup(@Header("lead_id") String leadId,
                                      @Variable(AuthenticatedTenant.VARIABLE) String tenantId,
                                      Exchange exchange) {
        Map<String, Object> key = new HashMap<>();
        key.put("tenant_id", tenantId(tenantId));
        key.put("lead_id", leadId(leadId));
        new EventIds(null, key.get("lead_id"), tenantId).applyTo(exchange);
        return key;
    }

    /** {@code POST /api/v1/leads/{lead_id}/messages}: the lead to look up, and the message text. */
    public Map<String, Object> newMessage(@Body String body, @Header(Exchange.CONTENT_TYPE) String contentType,
                                          @Header("lead_id") String leadId,
                                          @Variable(AuthenticatedTenant.VARIABLE) String tenantId,
                                          Exchange exchange) {
        Map<String, Object> key = lookup(leadId, tenantId, exchange);
        ObjectNode json = jsonRequests.read(body, contentType, "add-message");
        key.put("message_text", text(json, "message_text"));
        return key;
    }

    /** Parameters of insert-lead-message.sql, once the lead was found. */
    public Map<String, Object> messageRow(@Body Map<String, Object> request, @Variable("lead") List<Map<String, Object>> lead,
                                          Exchange exchange) {
        Map<String, Object> leadRow = existing(lead, request);
        Instant now = now();
        UUID leadId = (UUID) leadRow.get("lead_id");
        LeadMessage event = new LeadMessage(UUID.randomUUID(), LeadMessage.TYPE, now,
                (String) leadRow.get("tenant_id"), (String) leadRow.get("business_id"), leadId, UUID.randomUUID(),
                (String) request.get("message_text"));

        Map<String, Object> row = new HashMap<>();
        row.put("message_id", event.messageId());
        row.put("lead_id", leadId);
        row.put("tenant_id", event.tenantId());
        row.put("business_id", event.businessId());
        row.put("message_text", event.messageText());
        row.putAll(outbox(exchange, event.eventId(), app.topics().leadMessage(), event, event.tenantId(), leadId, now));
        return row;
    }

    /** {@code POST /api/v1/leads/{lead_id}/reprocess}: an ai.process.request with the lead's latest text. */
    public Map<String, Object> reprocessRow(@Body Map<String, Object> request, @Variable("lead") List<Map<String, Object>> lead,
                                            Exchange exchange) {
        Map<String, Object> leadRow = existing(lead, request);
        Instant now = now();
        UUID leadId = (UUID) leadRow.get("lead_id");
        String latestText = (String) leadRow.get("latest_message_text");
        AiProcessRequest event = new AiProcessRequest(UUID.randomUUID(), AiProcessRequest.TYPE, now,
                (String) leadRow.get("tenant_id"), (String) leadRow.get("business_id"),
                latestText != null ? latestText : (String) leadRow.get("initial_message"), leadId);
        Map<String, Object> row = new HashMap<>(outbox(exchange, event.eventId(), app.topics().aiRequest(), event,
                event.tenantId(), leadId, now));
        row.put("lead_id", leadId);
        return row;
    }

    /** The 202 answer for an event accepted into the outbox. */
    public Accepted accepted(@Body Map<String, Object> row) {
        return new Accepted((UUID) row.get("lead_id"), (UUID) row.get("message_id"), (UUID) row.get("event_id"),
                (String) row.get("topic"));
    }

    /** {@code GET /api/v1/leads}: parameters of select-lead-page.sql; one row more than the page, to see if more follow. */
    public Map<String, Object> pageQuery(@Variable(AuthenticatedTenant.VARIABLE) String tenantId,
                                         @Header("status") String status,
                                         @Header("limit") String limit, @Header("after") String after,
                                         Exchange exchange) {
        Map<String, Object> query = new HashMap<>();
        query.put("tenant_id", tenantId(tenantId));
        if (status != null && LeadStatus.parse(status).isEmpty()) {
            throw ApiException.badField("status", "must be one of " + LeadStatus.names());
        }
        query.put("status", status);
        int pageSize = pageSize(limit, app.api());
        exchange.setVariable("page_size", pageSize);
        query.put("fetch_size", pageSize + 1);
        PageCursor cursor = cursor(after);
        query.put("after_created_at", cursor == null ? null : OffsetDateTime.ofInstant(cursor.createdAt(), ZoneOffset.UTC));
        query.put("after_lead_id", cursor == null ? null : cursor.leadId());
        return query;
    }

    /**
     * The outbox row's parameters, with the trace context of this request, which the event's later spans
     * (relay, enrichment, writer) continue. The event's ids go into this request's log lines.
     */
    private Map<String, Object> outbox(Exchange exchange, UUID eventId, String topic, Object event, String tenantId,
                                       UUID key, Instant createdAt) {
        new EventIds(eventId, key, tenantId).applyTo(exchange);
        Map<String, Object> row = new OutboxRow(eventId, topic, key.toString(), tenantId, eventJson.write(event),
                OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC)).parameters();
        row.putAll(traces.current(exchange).parameters());
        return row;
    }

    private static Map<String, Object> existing(List<Map<String, Object>> lead, Map<String, Object> request) {
        if (lead == null || lead.isEmpty()) {
            throw ApiException.notFound("lead", "lead_id",
                    "no lead " + request.get("lead_id") + " for tenant " + request.get("tenant_id"));
        }
        return lead.get(0);
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: the event and the row must show the same instant
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The {@code limit} query parameter of a list: 1 to the maximum page size, the default when absent. */
    public static int pageSize(String limit, AppProperties.Api api) {
        if (limit == null) {
            return api.defaultPageSize();
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= api.maxPageSize()) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badField("limit", "must be a whole number from 1 to " + api.maxPageSize());
    }

    private static PageCursor cursor(String after) {
        if (after == null || after.isEmpty()) {
            return null;
        }
        try {
            return PageCursor.decode(after);
        } catch (RuntimeException e) {
            throw ApiException.badField("after", "is not a cursor from a previous page's 'next'");
        }
    }

    /** The {@code tenant_id} every operation is scoped by: the caller's, from its credential. */
    public static String tenantId(String tenantId) {
        if (tenantId == null || tenantId.isEmpty()) {
            throw ApiException.badField("tenant_id", "is required");
        }
        if (!TenantIds.isValid(tenantId)) {
            throw ApiException.badField("tenant_id",
                    "must be 1 to 64 letters, digits or . _ : - (starting with a letter or digit)");
        }
        return tenantId;
    }

    static UUID leadId(String leadId) {
        return PathIds.uuid(leadId, "lead_id");
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
