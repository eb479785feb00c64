package io.leadai.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Mass assignment, made explicit: no request body's schema lets a client set a field the server owns. */
class RequestSchemasTest {

    @Test
    void everyRequestSchemaIsClosedAndDeclaresNoServerOwnedField() throws IOException {
        List<Path> schemas;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/schemas/api"))) {
            schemas = files.filter(f -> f.toString().endsWith(".json")).toList();
        }
        assertThat(schemas).hasSizeGreaterThanOrEqualTo(3);
        for (Path schema : schemas) {
            JsonNode root = new ObjectMapper().readTree(schema.toFile());
            assertThat(root.get("additionalProperties").asBoolean(true)).as(schema + " is closed").isFalse();
            root.get("properties").fieldNames().forEachRemaining(field ->
                    assertThat(JsonRequests.SERVER_OWNED).as(schema + " declares " + field).doesNotContain(field));
        }
    }
}
