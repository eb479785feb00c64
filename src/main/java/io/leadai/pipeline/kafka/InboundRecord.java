package io.leadai.pipeline.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/** A consumed Kafka record as the routes see it: where it came from, its key and its bytes unchanged. */
public record InboundRecord(String topic, int partition, long offset, long timestamp, String key, byte[] value) {

    /** The record behind one exchange of a batching consumer (or of a plain one). */
    public static InboundRecord of(Exchange exchange) {
        Message message = exchange.getMessage();
        Long timestamp = message.getHeader(KafkaConstants.TIMESTAMP, Long.class);
        return new InboundRecord(
                message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, Long.class),
                timestamp == null ? -1 : timestamp,
                message.getHeader(KafkaConstants.KEY, String.class),
                message.getBody(byte[].class));
    }
}
