package io.leadai.pipeline.api;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import io.leadai.pipeline.schema.JsonSchemas;
import io.leadai.pipeline.schema.StorableText;
import org.springframework.stereotype.Component;

/**
 * Reads a JSON request body and checks it against its JSON Schema in {@code schemas/api/}. Every
 * problem found is reported with the field it concerns, so a client can fix all of them at once.
 */
@Component
public class JsonRequests {

    /**
     * Fields the server owns (ids, states, enrichment, timestamps of leads, messages, events and dead letters):
     * sending one is a mass-assignment attempt, refused with 400 by name and never applied. The schemas in
     * {@code schemas/api/} close their objects ({@code additionalProperties: false}) and declare none of these.
     */
    public static final Set<String> SERVER_OWNED = Set.of("lead_id", "status", "intent", "confidence", "entities",
            "enrichment", "enriched_at", "created_at", "updated_at", "message_id", "event_id", "event_type",
            "occurred_at", "topic", "error_id", "replayed_at", "source_event_id", "processed_at");

    private final ObjectReader reader;
    private final JsonSchemas schemas;

    public JsonRequests(ObjectMapper objectMapper, JsonSchemas schemas) {
        // one JSON value and nothing after it: "{...} garbage" or "{...}{...}" is not a body we can read one way
        this.reader = objectMapper.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.schemas = schemas;
    }

    /**
     * @param schema the schema's name in {@code schemas/api/}, without {@code .json}
     * @return the body, valid against the schema
     * @throws ApiException 415 for a body that is not declared JSON, 400 for JSON that is broken or invalid
     */
    public ObjectNode read(String body, String contentType, String schema) {
        requireJsonContentType(contentType);
        JsonNode node = parse(body);
        List<FieldProblem> problems = schemas.validate("api/" + schema, node).stream()
                .map(JsonRequests::toProblem)
                .sorted(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::problem))
                .toList();
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid request body", problems);
        }
        StorableText.Problem unstorable = StorableText.firstProblem(node);
        if (unstorable != null) {
            throw ApiException.badField(unstorable.field(), unstorable.problem());
        }
        return (ObjectNode) node;
    }

    private static void requireJsonContentType(String contentType) {
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";", 2);
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") || parts.length > 1 && !utf8Charset(parts[1])) {
            throw new ApiException(415, "unsupported media type", List.of(new FieldProblem("Content-Type",
                    "must be application/json in UTF-8, was " + (contentType == null ? "absent" : "'" + contentType + "'"))));
        }
    }

    /** JSON is UTF-8 (RFC 8259); a body declared in another charset would be read as other text than sent. */
    private static boolean utf8Charset(String parameters) {
        for (String parameter : parameters.split(";")) {
            String[] pair = parameter.split("=", 2);
            if (pair[0].trim().equalsIgnoreCase("charset")
                    && (pair.length < 2 || !pair[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                return false;
            }
        }
        return true;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("malformed JSON", List.of(new FieldProblem("body", "is empty")));
        }
        JsonNode node;
        try {
            node = reader.readTree(body);
        } catch (JsonParseException e) {
            throw ApiException.badRequest("malformed JSON", List.of(new FieldProblem("body",
                    e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr())));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON", List.of(new FieldProblem("body", e.getOriginalMessage())));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("malformed JSON", List.of(new FieldProblem("body", "must be a JSON object")));
        }
        return node;
    }

    static FieldProblem toProblem(ValidationMessage message) {
        String field = fieldOf(message);
        String problem = switch (message.getType()) {
            case "required" -> "is required";
            case "additionalProperties" -> SERVER_OWNED.contains(field)
                    ? "is set by the server and cannot be sent"
                    : "is not a known field";
            case "type" -> "must be of type " + message.getSchemaNode().asText();
            case "minLength" -> message.getSchemaNode().asInt() <= 1
                    ? "must not be empty"
                    : "must be at least " + message.getSchemaNode().asInt() + " characters";
            case "maxLength" -> "must be at most " + message.getSchemaNode().asInt() + " characters";
            case "format" -> "must be a valid " + message.getSchemaNode().asText() + " address";
            case "pattern" -> patternProblem(field);
            default -> message.getError();
        };
        return new FieldProblem(field, problem);
    }

    private static String fieldOf(ValidationMessage message) {
        JsonNodePath location = message.getInstanceLocation();
        List<String> path = new java.util.ArrayList<>();
        for (int i = 0; i < location.getNameCount(); i++) {
            path.add(String.valueOf(location.getElement(i)));
        }
        if (message.getProperty() != null) {
            path.add(message.getProperty());
        }
        return path.isEmpty() ? "body" : String.join(".", path);
    }

    private static String patternProblem(String field) {
        return switch (field) {
            case "phone" -> "must be a phone number: digits, spaces, ()-. and an optional leading +";
            case "tenant_id", "business_id" -> "must be 1 to 64 letters, digits or . _ : - (starting with a letter or digit)";
            default -> "must not be blank";
        };
    }

}
