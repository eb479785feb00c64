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

    @Test
    void aCursorBeforeTheEpochOrPastYear9999IsNotOne() {
        UUID id = UUID.randomUUID();
        for (long micros : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, 253_402_300_800_000_000L}) {
            String text = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + "_" + id).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> PageCursor.decode(text)).as("%d", micros).isInstanceOf(IllegalArgumentException.class);
        }
        PageCursor latest = new PageCursor(Instant.parse("9999-12-31T23:59:59.999999Z"), id);
        assertThat(PageCursor.decode(latest.encode())).isEqualTo(latest);
    }
}
