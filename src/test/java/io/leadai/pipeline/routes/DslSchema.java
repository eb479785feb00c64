package io.leadai.pipeline.routes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Checks a route file against the JSON Schema of Camel's YAML DSL ({@code schema/camelYamlDsl.json} in
 * camel-yaml-dsl, the schema Kaoto and the Camel tooling read), and words what it finds for an integrator:
 * an unknown step or option with the nearest known name, a missing option, a value of the wrong kind.
 *
 * <p>Two differences from the published schema, both how Camel itself reads a file: every scalar is text to
 * Camel ({@code constant: 202} is the text "202"), and any option may be a {@code {{placeholder}}}.
 */
final class DslSchema {

    private static final String SCHEMA = "schema/camelYamlDsl.json";
    private static final String PLACEHOLDER = ".*\\{\\{.+\\}\\}.*";
    private static final Set<String> COMBINATORS = Set.of("oneOf", "anyOf", "not", "allOf");

    private final JsonNode schemaDocument;
    private final JsonSchema schema;

    DslSchema() {
        try (InputStream in = DslSchema.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " not on the classpath (camel-yaml-dsl)");
            }
            JsonNode document = new ObjectMapper().readTree(in);
            readLikeCamel(document);
            this.schemaDocument = document;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER)
                // read the parts of the 800 kB schema a file uses, not all of it up front
                .preloadJsonSchema(false).build();
        this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schemaDocument, config);
    }

    List<RouteFileProblem> check(RouteFile file) {
        if (file.root == null) {
            return List.of();
        }
        Map<String, Node> values = new HashMap<>();
        Map<String, Node> keys = new HashMap<>();
        JsonNode instance = toJson(file.root, "", values, keys);
        Set<ValidationMessage> messages = schema.validate(instance);
        return new Translation(file, values, keys, messages).problems();
    }

    // ---- the schema, read the way Camel reads a file

    private static void readLikeCamel(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("deprecated");
            JsonNode type = object.get("type");
            if (type != null && type.isTextual()) {
                switch (type.asText()) {
                    case "string" -> object.set("type", types("string", "number", "integer", "boolean"));
                    case "number", "integer" -> {
                        object.set("type", types("number", "integer", "string"));
                        object.put("pattern", "^(-?[0-9]+(\\.[0-9]+)?|([0-9]+(ms|s|m|h|d))+|" + PLACEHOLDER + ")$");
                    }
                    case "boolean" -> {
                        object.set("type", types("boolean", "string"));
                        object.put("pattern", "^(true|false|" + PLACEHOLDER + ")$");
                    }
                    default -> {
                    }
                }
            }
            object.elements().forEachRemaining(DslSchema::readLikeCamel);
        } else if (node instanceof ArrayNode array) {
            array.elements().forEachRemaining(DslSchema::readLikeCamel);
        }
    }

    private static ArrayNode types(String... names) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (String name : names) {
            array.add(name);
        }
        return array;
    }

    private static JsonNode toJson(Node node, String pointer, Map<String, Node> values, Map<String, Node> keys) {
        values.put(pointer, node);
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (node instanceof MappingNode map) {
            ObjectNode object = json.objectNode();
            for (NodeTuple tuple : map.getValue()) {
                String key = RouteFile.text(tuple.getKeyNode());
                if (key == null) {
                    continue;
                }
                String child = pointer + "/" + key.replace("~", "~0").replace("/", "~1");
                keys.put(child, tuple.getKeyNode());
                object.set(key, toJson(tuple.getValueNode(), child, values, keys));
            }
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = json.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(toJson(items.get(i), pointer + "/" + i, values, keys));
            }
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        try {
            if (Tag.NULL.equals(tag)) {
                return json.nullNode();
            }
            if (Tag.BOOL.equals(tag)) {
                return json.booleanNode(Boolean.parseBoolean(text));
            }
            if (Tag.INT.equals(tag)) {
                return json.numberNode(new BigInteger(text));
            }
            if (Tag.FLOAT.equals(tag)) {
                return json.numberNode(new BigDecimal(text));
            }
        } catch (NumberFormatException e) {
            // a YAML number Java does not read (0x1F, .inf): Camel reads it as text too
        }
        return json.textNode(text);
    }

    /** Property names a schema allows, through $ref, oneOf and anyOf. */
    private Set<String> propertyNames(JsonNode schemaNode) {
        Set<String> names = new TreeSet<>();
        collectPropertyNames(schemaNode, names, 0);
        return names;
    }

    private void collectPropertyNames(JsonNode schemaNode, Set<String> names, int depth) {
        if (schemaNode == null || schemaNode.isMissingNode() || depth > 8) {
            return;
        }
        JsonNode ref = schemaNode.get("$ref");
        if (ref != null && ref.asText().startsWith("#")) {
            collectPropertyNames(schemaDocument.at(ref.asText().substring(1)), names, depth + 1);
        }
        JsonNode properties = schemaNode.get("properties");
        if (properties != null) {
            properties.fieldNames().forEachRemaining(names::add);
        }
        for (String combinator : List.of("oneOf", "anyOf")) {
            JsonNode branches = schemaNode.get(combinator);
            if (branches != null) {
                branches.forEach(branch -> collectPropertyNames(branch, names, depth + 1));
            }
        }
    }

    /** Schema messages to integrator sentences: the most telling message per place, the noise of oneOf left out. */
    private final class Translation {

        private final RouteFile file;
        private final Map<String, Node> values;
        private final Map<String, Node> keys;
        private final List<ValidationMessage> messages;

        Translation(RouteFile file, Map<String, Node> values, Map<String, Node> keys,
                    Collection<ValidationMessage> messages) {
            this.file = file;
            this.values = values;
            this.keys = keys;
            this.messages = new ArrayList<>(messages);
        }

        List<RouteFileProblem> problems() {
            List<ValidationMessage> primary = messages.stream()
                    .filter(m -> !COMBINATORS.contains(m.getType()))
                    .filter(m -> !placeholderInEnum(m))
                    .toList();
            Map<String, List<ValidationMessage>> byPlace = new LinkedHashMap<>();
            for (ValidationMessage message : primary) {
                byPlace.computeIfAbsent(pointer(message), p -> new ArrayList<>()).add(message);
            }
            // "'from' needs 'steps'" says nothing more than "'steps' belongs under 'from'"
            Set<String> misplacedKeys = new HashSet<>();
            for (ValidationMessage m : primary) {
                if ("additionalProperties".equals(m.getType())) {
                    String misplacedUnder = misplacedUnder(pointer(m), values.get(pointer(m)), m.getProperty());
                    if (misplacedUnder != null) {
                        misplacedKeys.add(pointer(m) + "/" + misplacedUnder + "|" + m.getProperty());
                    }
                }
            }
            Set<RouteFileProblem> problems = new LinkedHashSet<>();
            for (Map.Entry<String, List<ValidationMessage>> place : byPlace.entrySet()) {
                String pointer = place.getKey();
                List<ValidationMessage> here = place.getValue();
                boolean unknownHereOrBelow = primary.stream().anyMatch(m -> "additionalProperties".equals(m.getType())
                        && (pointer(m).equals(pointer) || pointer(m).startsWith(pointer + "/")));
                boolean moreBelow = primary.stream().anyMatch(m -> pointer(m).startsWith(pointer + "/"));
                String parent = pointer.contains("/") ? pointer.substring(0, pointer.lastIndexOf('/')) : "";
                boolean unknownNextToIt = primary.stream().anyMatch(m -> "additionalProperties".equals(m.getType())
                        && pointer(m).equals(parent));

                for (ValidationMessage m : here) {
                    if ("additionalProperties".equals(m.getType())) {
                        problems.add(unknown(pointer, m));
                    }
                }
                if (unknownHereOrBelow) {
                    continue;
                }
                List<ValidationMessage> required = here.stream().filter(m -> "required".equals(m.getType()))
                        .filter(m -> !misplacedKeys.contains(pointer + "|" + m.getProperty())).toList();
                if (required.size() == 1) {
                    problems.add(at(pointer, "'" + name(pointer) + "' needs '" + required.get(0).getProperty() + "'"));
                } else if (required.size() > 1 && !moreBelow) {
                    problems.add(at(pointer, "'" + name(pointer) + "' needs one of " + sample(required)));
                }
                List<ValidationMessage> types = here.stream().filter(m -> "type".equals(m.getType())).toList();
                if (!types.isEmpty() && !moreBelow && required.isEmpty() && !unknownNextToIt) {
                    problems.add(wrongKind(pointer));
                }
                for (ValidationMessage m : here) {
                    switch (m.getType()) {
                        case "pattern" -> problems.add(at(pointer, "'" + name(pointer) + "' must be "
                                + (m.getSchemaNode() != null && m.getSchemaNode().asText().contains("true|false")
                                        ? "true or false" : "a number")
                                + ", not '" + m.getInstanceNode().asText() + "'"));
                        case "enum" -> problems.add(at(pointer, "'" + name(pointer) + "' must be one of "
                                + choices(m.getSchemaNode())
                                + ", not '" + m.getInstanceNode().asText() + "'"));
                        case "maxProperties" -> problems.add(tooManyKeys(pointer));
                        case "additionalProperties", "required", "type" -> {
                        }
                        default -> problems.add(at(pointer, m.getMessage()));
                    }
                }
            }
            return List.copyOf(problems);
        }

        private String choices(JsonNode values) {
            List<String> names = new ArrayList<>();
            values.forEach(value -> names.add(value.asText()));
            return String.join(", ", names);
        }

        private boolean placeholderInEnum(ValidationMessage m) {
            return "enum".equals(m.getType()) && m.getInstanceNode() != null
                    && m.getInstanceNode().asText().matches(PLACEHOLDER);
        }

        private RouteFileProblem unknown(String pointer, ValidationMessage m) {
            String property = m.getProperty();
            Node keyNode = keys.get(pointer + "/" + property);
            int line = keyNode != null ? RouteFile.line(keyNode) : line(pointer);
            Node mapping = values.get(pointer);
            String misplaced = misplaced(pointer, mapping, property);
            if (misplaced != null) {
                return file.error(line, misplaced);
            }
            Set<String> known = propertyNames(schemaAt(m));
            String hint = Suggestions.didYouMean(property, known);
            String where = name(pointer);
            if (isStep(pointer)) {
                return file.error(line, "unknown step '" + property + "'" + hint);
            }
            if (where.isEmpty()) {
                return file.error(line, "unknown element '" + property + "' (a file holds route, routeConfiguration,"
                        + " routeTemplate, templatedRoute, rest, beans ...)" + hint);
            }
            return file.error(line, "unknown option '" + property + "' of '" + where + "'" + hint);
        }

        /**
         * A key that belongs one level deeper: 'steps' next to 'from' instead of under it, 'uri' next to 'to' in a
         * step. Said as what it is, an indentation mistake.
         */
        private String misplaced(String pointer, Node mapping, String property) {
            String sibling = misplacedUnder(pointer, mapping, property);
            if (sibling == null) {
                return null;
            }
            NodeTuple tuple = RouteFile.tuple(mapping, sibling);
            return "bad indentation: '" + property + "' belongs under '" + sibling + "' (line "
                    + RouteFile.line(tuple.getKeyNode()) + "); indent it further than '" + sibling + "'";
        }

        /** The key next to an unknown one that would take it, one level deeper; null if none. */
        private String misplacedUnder(String pointer, Node mapping, String property) {
            for (NodeTuple tuple : RouteFile.entries(mapping)) {
                String sibling = RouteFile.key(tuple);
                if (sibling == null || sibling.equals(property)) {
                    continue;
                }
                Node siblingValue = tuple.getValueNode();
                boolean emptyStep = isStep(pointer) && siblingValue instanceof ScalarNode s && s.getValue().isEmpty();
                boolean belongsBelow = siblingValue instanceof MappingNode && childSchemaAllows(pointer, sibling, property);
                if (emptyStep || belongsBelow) {
                    return sibling;
                }
            }
            return null;
        }

        private boolean childSchemaAllows(String pointer, String sibling, String property) {
            for (ValidationMessage m : messages) {
                if (pointer(m).equals(pointer) && "additionalProperties".equals(m.getType())) {
                    JsonNode parent = schemaAt(m);
                    Set<String> names = new TreeSet<>();
                    JsonNode properties = resolve(parent).path("properties").path(sibling);
                    collectPropertyNames(properties, names, 0);
                    return names.contains(property);
                }
            }
            return false;
        }

        private JsonNode resolve(JsonNode schemaNode) {
            JsonNode ref = schemaNode.get("$ref");
            return ref != null ? schemaDocument.at(ref.asText().substring(1)) : schemaNode;
        }

        private RouteFileProblem tooManyKeys(String pointer) {
            Node mapping = values.get(pointer);
            List<NodeTuple> entries = RouteFile.entries(mapping);
            if (entries.size() > 1) {
                NodeTuple first = entries.get(0);
                NodeTuple second = entries.get(1);
                return file.error(RouteFile.line(second.getKeyNode()), "bad indentation: '" + RouteFile.key(second)
                        + "' belongs under '" + RouteFile.key(first) + "' (line " + RouteFile.line(first.getKeyNode())
                        + "); a step is one name with its options indented below it");
            }
            return at(pointer, "'" + name(pointer) + "' has more than one name");
        }

        private RouteFileProblem wrongKind(String pointer) {
            Node node = values.get(pointer);
            String found = node instanceof MappingNode ? "a block of options"
                    : node instanceof SequenceNode ? "a list"
                    : node instanceof ScalarNode s && s.getValue().isEmpty() ? "empty" : "a single value";
            return at(pointer, "'" + name(pointer) + "' is " + found + ", which it cannot be here");
        }

        private RouteFileProblem at(String pointer, String message) {
            return file.error(line(pointer), message);
        }

        private int line(String pointer) {
            Node key = keys.get(pointer);
            Node value = values.get(pointer);
            return key != null ? RouteFile.line(key) : value != null ? RouteFile.line(value) : 1;
        }

        private JsonNode schemaAt(ValidationMessage m) {
            String location = m.getSchemaLocation().toString();
            String fragment = location.substring(location.indexOf('#') + 1);
            // the location names the keyword (".../additionalProperties"): the schema is its parent
            return schemaDocument.at(fragment.substring(0, fragment.lastIndexOf('/')));
        }

        private String pointer(ValidationMessage m) {
            String path = m.getInstanceLocation().toString();
            return path.equals("/") ? "" : path;
        }

        /** The YAML key a pointer ends in, skipping list positions: ".../steps/3/setHeader" is setHeader. */
        private String name(String pointer) {
            String[] parts = pointer.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                if (!parts[i].isEmpty() && !parts[i].chars().allMatch(Character::isDigit)) {
                    return parts[i].replace("~1", "/").replace("~0", "~");
                }
            }
            return "";
        }

        private boolean isStep(String pointer) {
            return pointer.matches(".*/steps/\\d+");
        }

        private String sample(List<ValidationMessage> required) {
            List<String> names = required.stream().map(ValidationMessage::getProperty).toList();
            List<String> common = names.stream().filter(n -> Set.of("simple", "constant", "jq", "expression",
                    "method", "uri").contains(n)).toList();
            List<String> shown = common.isEmpty() ? names.subList(0, Math.min(4, names.size())) : common;
            StringBuilder text = new StringBuilder();
            for (Iterator<String> it = shown.iterator(); it.hasNext(); ) {
                text.append('\'').append(it.next()).append('\'');
                if (it.hasNext()) {
                    text.append(", ");
                }
            }
            return text + (shown.size() < names.size() ? " ..." : "");
        }
    }
}
