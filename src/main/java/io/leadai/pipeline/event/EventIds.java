package io.leadai.pipeline.event;

import java.util.Collection;
import java.util.Objects;
import java.util.function.Function;

import org.apache.camel.Exchange;

/**
 * What names an event in logs and traces: its {@code event_id}, {@code lead_id} and {@code tenant_id}, each
 * absent (null) when the event does not have it.
 */
public record EventIds(String eventId, String leadId, String tenantId) {

    public static final String EVENT_ID = "event_id";
    public static final String LEAD_ID = "lead_id";
    public static final String TENANT_ID = "tenant_id";
    public static final EventIds NONE = new EventIds(null, null, null);

    public EventIds(Object eventId, Object leadId, String tenantId) {
        this(eventId == null ? null : eventId.toString(), leadId == null ? null : leadId.toString(), tenantId);
    }

    /**
     * Makes them the exchange's properties of these names, from where {@code tracing.ExchangeLogContext} puts
     * them into every log line written for the exchange.
     */
    public void applyTo(Exchange exchange) {
        set(exchange, EVENT_ID, eventId);
        set(exchange, LEAD_ID, leadId);
        set(exchange, TENANT_ID, tenantId);
    }

    /** The ids that all of {@code ids} share (a batch's records, say); an id they differ in is left out. */
    public static EventIds shared(Collection<EventIds> ids) {
        return new EventIds(same(ids, EventIds::eventId), same(ids, EventIds::leadId), same(ids, EventIds::tenantId));
    }

    private static String same(Collection<EventIds> ids, Function<EventIds, String> id) {
        return ids.stream().map(id).distinct().count() == 1 ? ids.stream().map(id).filter(Objects::nonNull)
                .findFirst().orElse(null) : null;
    }

    private static void set(Exchange exchange, String name, String value) {
        if (value == null) {
            exchange.removeProperty(name);
        } else {
            exchange.setProperty(name, value);
        }
    }
}
