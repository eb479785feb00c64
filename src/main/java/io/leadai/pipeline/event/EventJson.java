package io.leadai.pipeline.event;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/** Writes event bodies as the JSON text that goes to Kafka, and reads what names one back. */
@Component
public class EventJson {

    private final ObjectMapper objectMapper;

    public EventJson(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public String write(Object event) {
        try {
            return objectMapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event not serializable: " + event.getClass().getSimpleName(), e);
        }
    }

    /** event_id, lead_id and tenant_id of a body, as far as it is a JSON object that has them. */
    public EventIds ids(byte[] body) {
        if (body == null || body.length == 0) {
            return EventIds.NONE;
        }
        try {
            JsonNode json = objectMapper.readTree(body);
            return new EventIds(text(json, EventIds.EVENT_ID), text(json, EventIds.LEAD_ID),
                    text(json, EventIds.TENANT_ID));
        } catch (IOException unreadable) {
            // some bodies are exactly that: a dead letter, say
            return EventIds.NONE;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json == null ? null : json.get(field);
        return value != null && value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
