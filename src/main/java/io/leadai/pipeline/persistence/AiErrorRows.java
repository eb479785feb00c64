package io.leadai.pipeline.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.leadai.pipeline.kafka.DeadLetters;
import io.leadai.pipeline.kafka.InboundRecord;
import io.leadai.pipeline.tracing.RecordSpans;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** Reads a batch of {@code ai.error} records (see {@link DeadLetters}) into the parameters of insert-ai-error.sql. */
@Component("aiErrorRows")
public class AiErrorRows {

    private final RecordSpans recordSpans;

    public AiErrorRows(RecordSpans recordSpans) {
        this.recordSpans = recordSpans;
    }

    public List<Map<String, Object>> rows(@Body List<Exchange> batch, Exchange exchange) {
        recordSpans.beginShared(batch, exchange);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Exchange element : batch) {
            rows.add(row(InboundRecord.of(element), element.getMessage()));
        }
        return rows;
    }

    Map<String, Object> row(InboundRecord letter, Message headers) {
        String originalTopic = text(headers, DeadLetters.ORIGINAL_TOPIC);
        boolean ours = originalTopic != null;
        Map<String, Object> row = new HashMap<>();
        row.put("error_id", UUID.nameUUIDFromBytes((letter.topic() + "/" + letter.partition() + "/" + letter.offset())
                .getBytes(StandardCharsets.UTF_8)));
        row.put("tenant_id", text(headers, DeadLetters.TENANT_ID));
        row.put("lead_id", uuid(text(headers, DeadLetters.LEAD_ID)));
        row.put("event_id", text(headers, DeadLetters.EVENT_ID));
        // a record on ai.error without our headers is kept too, identified by where it sits on ai.error
        row.put("original_topic", ours ? originalTopic : letter.topic());
        row.put("original_partition", ours ? number(headers, DeadLetters.ORIGINAL_PARTITION) : letter.partition());
        row.put("original_offset", ours ? number(headers, DeadLetters.ORIGINAL_OFFSET) : letter.offset());
        row.put("original_key", letter.key());
        row.put("payload", letter.value() == null ? new byte[0] : letter.value());
        row.put("exception_class", text(headers, DeadLetters.EXCEPTION_FQCN));
        row.put("cause_class", text(headers, DeadLetters.EXCEPTION_CAUSE_FQCN));
        row.put("reason", ours ? String.valueOf(text(headers, DeadLetters.EXCEPTION_MESSAGE))
                : "a record on " + letter.topic() + " without dead-letter headers");
        String attempts = text(headers, DeadLetters.ATTEMPTS);
        row.put("attempts", attempts == null ? 1 : Integer.parseInt(attempts));
        row.put("route_id", text(headers, DeadLetters.ROUTE_ID));
        String failedAt = text(headers, DeadLetters.FAILED_AT);
        row.put("failed_at", OffsetDateTime.ofInstant(failedAt == null ? Instant.ofEpochMilli(letter.timestamp())
                : Instant.parse(failedAt), ZoneOffset.UTC));
        return row;
    }

    private static String text(Message headers, String name) {
        byte[] value = headers.getHeader(name, byte[].class);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Spring Kafka's encoding: a 4-byte int or an 8-byte long, big-endian. */
    private static long number(Message headers, String name) {
        byte[] value = headers.getHeader(name, byte[].class);
        if (value == null) {
            return -1;
        }
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return value.length == Integer.BYTES ? buffer.getInt() : buffer.getLong();
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
