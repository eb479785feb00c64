package io.leadai.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    private final EventJson json = new EventJson(new ObjectMapper());

    @Test
    void readsTheIdsAnEventHasAndNothingFromAnUnreadableBody() {
        EventIds ids = json.ids("""
                {"event_id": "e-1", "tenant_id": "acme", "lead_id": null, "text": "hi"}""".getBytes(StandardCharsets.UTF_8));

        assertThat(ids).isEqualTo(new EventIds("e-1", null, "acme"));
        assertThat(json.ids("not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(EventIds.NONE);
        assertThat(json.ids("[1, 2]".getBytes(StandardCharsets.UTF_8))).isEqualTo(EventIds.NONE);
        assertThat(json.ids(null)).isEqualTo(EventIds.NONE);
    }

    @Test
    void aBatchSharesOnlyTheIdsAllItsEventsHave() {
        EventIds shared = EventIds.shared(List.of(new EventIds("e-1", "lead-1", "acme"),
                new EventIds("e-2", "lead-1", "acme")));

        assertThat(shared).isEqualTo(new EventIds(null, "lead-1", "acme"));
        assertThat(EventIds.shared(List.of(new EventIds("e-1", null, "acme"), new EventIds("e-2", "lead-2", "acme"))))
                .isEqualTo(new EventIds(null, null, "acme"));
    }

    @Test
    void areTheExchangePropertiesCamelsMdcLogs() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty("lead_id", "an earlier lead");

        new EventIds("e-1", null, "acme").applyTo(exchange);

        assertThat(exchange.getProperty("event_id")).isEqualTo("e-1");
        assertThat(exchange.getProperty("tenant_id")).isEqualTo("acme");
        assertThat(exchange.getProperties()).doesNotContainKey("lead_id");
    }
}
