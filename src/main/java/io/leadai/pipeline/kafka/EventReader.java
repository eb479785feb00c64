package io.leadai.pipeline.kafka;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import io.leadai.pipeline.schema.JsonSchemas;
import io.leadai.pipeline.schema.StorableText;
import org.springframework.stereotype.Component;

/** Reads a consumed record's body as JSON valid against its schema, or says for good why it is not. */
@Component
public class EventReader {

    private final ObjectMapper objectMapper;
    private final JsonSchemas schemas;

    public EventReader(ObjectMapper objectMapper, JsonSchemas schemas) {
        this.objectMapper = objectMapper;
        this.schemas = schemas;
    }

    /**
     * @param schema the schema below {@code schemas/}, e.g. {@code events/lead-created}
     * @throws InvalidEventException when the body is not a JSON object valid against the schema
     */
    public JsonNode read(InboundRecord record, String schema) {
        JsonNode event;
        try {
            event = objectMapper.readTree(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not JSON: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("not a JSON object");
        }
        var problems = schemas.validate(schema, event);
        if (!problems.isEmpty()) {
            throw new InvalidEventException("not a valid " + record.topic() + " event: " + problems.stream()
                    .map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
        }
        // such text would fail its batch's database write again and again: it is this record that is invalid
        StorableText.Problem unstorable = StorableText.firstProblem(event);
        if (unstorable != null) {
            throw new InvalidEventException("not a valid " + record.topic() + " event: " + unstorable.field() + " "
                    + unstorable.problem());
        }
        return event;
    }
}
