package io.leadai.pipeline.api;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids in request paths. Only the canonical 36-character form is a UUID here: {@link UUID#fromString} also takes
 * "1-1-1-1-1" and reads it as another id than the one written.
 */
public final class PathIds {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private PathIds() {
    }

    /** @throws ApiException 400 naming the field when the value is not a UUID */
    public static UUID uuid(String value, String field) {
        if (value == null || !CANONICAL.matcher(value).matches()) {
            throw ApiException.badField(field, "must be a UUID");
        }
        return UUID.fromString(value);
    }
}
