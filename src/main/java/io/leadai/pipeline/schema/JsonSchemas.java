package io.leadai.pipeline.schema;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.springframework.stereotype.Component;

/** The JSON Schemas in {@code src/main/resources/schemas/}, loaded once, formats asserted. */
@Component
public class JsonSchemas {

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    /** @param name the schema's path below {@code schemas/}, without {@code .json}, e.g. {@code api/create-lead} */
    public Set<ValidationMessage> validate(String name, JsonNode json) {
        return schemas.computeIfAbsent(name,
                n -> factory.getSchema(SchemaLocation.of("classpath:schemas/" + n + ".json"), config)).validate(json);
    }
}
