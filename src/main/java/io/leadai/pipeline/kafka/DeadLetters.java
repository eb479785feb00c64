package io.leadai.pipeline.kafka;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.leadai.pipeline.event.EventIds;
import io.leadai.pipeline.event.EventJson;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.springframework.stereotype.Component;

/**
 * The record that goes to {@code ai.error}: the original bytes and key unchanged, and headers that say what
 * failed. Header names follow Spring Kafka's dead-letter convention ({@code kafka_dlt-*}, partition as a
 * 4-byte and offset and timestamp as 8-byte big-endian numbers) so existing tools read them; ours carry the
 * {@code ai_error-} prefix.
 */
@Component("deadLetters")
public class DeadLetters {

    public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    public static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    public static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    public static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    public static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
    public static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    public static final String EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";
    public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    public static final String ATTEMPTS = "ai_error-attempts";
    public static final String FAILED_AT = "ai_error-failed-at";
    public static final String ROUTE_ID = "ai_error-route-id";
    public static final String EVENT_ID = "ai_error-event-id";
    public static final String TENANT_ID = "ai_error-tenant-id";
    public static final String LEAD_ID = "ai_error-lead-id";

    /** Variable that keeps the dead letter on its exchange once the body is the record's bytes. */
    public static final String LETTER = "dead_letter";

    private final EventJson eventJson;
    private final Clock clock;

    public DeadLetters(EventJson eventJson, Clock clock) {
        this.eventJson = eventJson;
        this.clock = clock;
    }

    /**
     * Turns the exchange into the dead letter of {@code letter}'s record: body, key and headers. Any other
     * header is dropped, so nothing internal travels to Kafka.
     */
    public void prepare(@Body DeadLetter letter, Exchange exchange) {
        exchange.setVariable(LETTER, letter);
        InboundRecord record = letter.record();
        Map<String, Object> headers = new HashMap<>();
        headers.put(ORIGINAL_TOPIC, record.topic());
        headers.put(ORIGINAL_PARTITION, record.partition());
        headers.put(ORIGINAL_OFFSET, record.offset());
        headers.put(ORIGINAL_TIMESTAMP, record.timestamp());
        headers.put(ORIGINAL_CONSUMER_GROUP, letter.consumerGroup());
        headers.put(EXCEPTION_FQCN, letter.exceptionClass());
        if (letter.causeClass() != null) {
            headers.put(EXCEPTION_CAUSE_FQCN, letter.causeClass());
        }
        headers.put(EXCEPTION_MESSAGE, letter.reason());
        headers.put(ATTEMPTS, String.valueOf(letter.attempts()));
        headers.put(FAILED_AT, clock.instant().toString());
        headers.put(ROUTE_ID, letter.routeId());
        identify(record.value(), headers);
        if (record.key() != null) {
            headers.put(KafkaConstants.KEY, record.key());
        }
        exchange.getMessage().setHeaders(headers);
        exchange.getMessage().setBody(record.value() == null ? new byte[0] : record.value());
    }

    /** event_id, tenant_id and lead_id of the original body, when it is JSON that has them. */
    private void identify(byte[] value, Map<String, Object> headers) {
        EventIds ids = eventJson.ids(value);
        putPresent(headers, EVENT_ID, ids.eventId());
        putPresent(headers, TENANT_ID, ids.tenantId());
        putPresent(headers, LEAD_ID, ids.leadId());
    }

    private static void putPresent(Map<String, Object> headers, String header, String value) {
        if (value != null) {
            headers.put(header, value);
        }
    }

    /** A record that failed, why, and where. */
    public record DeadLetter(InboundRecord record, String consumerGroup, String routeId, String exceptionClass,
                             String causeClass, String reason, int attempts, FailureKind kind) {

        public static DeadLetter of(InboundRecord record, String consumerGroup, String routeId, Throwable thrown,
                                    int attempts) {
            Throwable failure = unwrap(thrown);
            Throwable cause = failure.getCause();
            return new DeadLetter(record, consumerGroup, routeId, failure.getClass().getName(),
                    cause == null ? null : cause.getClass().getName(), String.valueOf(failure.getMessage()), attempts,
                    FailureKind.of(thrown));
        }

        /** The failure itself, not the wrappers Camel's EIPs (multicast, circuit breaker) put around it. */
        public static Throwable unwrap(Throwable thrown) {
            Throwable failure = thrown;
            while (failure.getCause() != null && (failure instanceof org.apache.camel.RuntimeCamelException
                    || failure instanceof org.apache.camel.CamelExchangeException
                    || failure instanceof java.util.concurrent.ExecutionException
                    || failure instanceof java.util.concurrent.CompletionException)) {
                failure = failure.getCause();
            }
            return failure;
        }
    }
}
