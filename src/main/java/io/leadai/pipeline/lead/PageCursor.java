package io.leadai.pipeline.lead;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Position in the newest-first lead list: the (created_at, lead_id) of the last lead a page showed.
 * Opaque to clients; microsecond precision, as PostgreSQL stores it.
 */
public record PageCursor(Instant createdAt, UUID leadId) {

    private static final long LATEST_MICROS =
            Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() * 1_000_000L + 999_999L;

    public String encode() {
        long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
        String raw = micros + "_" + leadId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws IllegalArgumentException when the text is not a cursor this API handed out */
    public static PageCursor decode(String text) {
        String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        int split = raw.indexOf('_');
        if (split < 1) {
            throw new IllegalArgumentException("not a cursor");
        }
        long micros = Long.parseLong(raw.substring(0, split));
        // a cursor this API handed out is a lead's created_at: never before 1970, nor past what PostgreSQL stores
        if (micros < 0 || micros > LATEST_MICROS) {
            throw new IllegalArgumentException("not a cursor");
        }
        Instant createdAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
        return new PageCursor(createdAt, UUID.fromString(raw.substring(split + 1)));
    }
}
