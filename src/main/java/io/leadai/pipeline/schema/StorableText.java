package io.leadai.pipeline.schema;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Text PostgreSQL cannot store as sent: a NUL character (refused by {@code text} and {@code jsonb}) or half of a
 * surrogate pair (not Unicode; the driver would store a '?' in its place). JSON can carry both as escapes, so
 * every JSON body that reaches the database is checked for them first.
 */
public final class StorableText {

    private StorableText() {
    }

    /** The first field (dotted path, {@code [i]} for array items) whose text cannot be stored, with why; null if none. */
    public static Problem firstProblem(JsonNode json) {
        return find(json, "");
    }

    /** Why this text cannot be stored as sent; null when it can. */
    public static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain NUL characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be Unicode text (has half of a surrogate pair)";
            }
        }
        return null;
    }

    public record Problem(String field, String problem) {
    }

    private static Problem find(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String problem = problem(node.textValue());
            return problem == null ? null : new Problem(path.isEmpty() ? "body" : path, problem);
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String keyProblem = problem(name);
                if (keyProblem != null) {
                    return new Problem(path.isEmpty() ? "body" : path, "has a field name that " + keyProblem);
                }
                Problem found = find(field.getValue(), path.isEmpty() ? name : path + "." + name);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Problem found = find(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
