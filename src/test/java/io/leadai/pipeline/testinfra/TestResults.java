package io.leadai.pipeline.testinfra;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes records to the pipeline's topics as another part of the system (or a replay) would. */
public final class TestResults implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public TestResults(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** An ai.process.result body as the enrichment routes write it. */
    public static String result(UUID sourceEventId, String tenant, UUID leadId, UUID messageId, String intent,
                                double confidence, Instant processedAt) {
        return """
                {"event_id": "%s", "source_event_id": "%s", "source_topic": "%s", "tenant_id": "%s",
                 "business_id": "b-1", "lead_id": %s, "message_id": %s, "text": "I want to buy 2 laptops",
                 "intent": {"name": "%s", "confidence": %s},
                 "entities": [{"type": "quantity", "value": "2"}, {"type": "product", "value": "laptop"}],
                 "processed_at": "%s", "processing_ms": 12}
                """.formatted(UUID.randomUUID(), sourceEventId, messageId == null ? "lead.created" : "lead.message",
                tenant, leadId == null ? "null" : "\"" + leadId + "\"",
                messageId == null ? "null" : "\"" + messageId + "\"", intent, confidence, processedAt);
    }

    public void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Sends without waiting for the broker; {@link #flush()} waits for everything sent so far. */
    public void sendAsync(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
