package io.leadai.pipeline.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;

/**
 * JSON text with {@code < > & '} written as {@code \u003C} and so on: the same JSON values, but markup in stored
 * data (a lead's message, an AI answer) never appears as markup in an answer, whatever a client or browser does
 * with it.
 */
final class HtmlSafeJson extends CharacterEscapes {

    private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

    HtmlSafeJson() {
        for (char c : new char[] {'<', '>', '&', '\''}) {
            escapes[c] = CharacterEscapes.ESCAPE_STANDARD;
        }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return null;
    }
}
