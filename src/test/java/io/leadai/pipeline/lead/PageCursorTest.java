package io.leadai.pipeline.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class PageCursorTest {

    @Test
    void cursorSurvivesTheRoundTripAtMicrosecondPrecision() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-11-26T10:15:30.123456Z"), UUID.randomUUID());
        String text = cursor.encode();
        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(PageCursor.decode(text)).isEqualTo(cursor);
    }

    @Test
    void somethingElseIsNotACursor() {
        assertThatThrownBy(() -> PageCursor.decode("garbage!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageCursor.decode("bm90LWEtY3Vyc29y")).isInstanceOf(IllegalArgumentException.class);
    }
}
