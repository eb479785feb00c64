package io.leadai.pipeline.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@code lead.created} events as the outbox relay would (key: the lead id; {@code acks=all},
 * idempotence on), either all at once or at a fixed rate. Every event is about a lead of its own of the given
 * tenant, so a phase's rows are found by tenant.
 */
final class LeadEventPublisher implements AutoCloseable {

    private static final String[] MESSAGES = {
            "I want to buy 2 laptops for our office",
            "Can you send me a quote for 15 office chairs?",
            "We would like to book a demo next Tuesday",
            "How much does the premium plan cost per month?",
            "Looking for 3 standing desks, delivery to Berlin",
    };

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    /** @param lingerMs 0 sends each event at once (latency); a few ms fills batches (throughput) */
    LeadEventPublisher(String bootstrapServers, String topic, int lingerMs) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** Each lead's event as fast as the producer takes them; returns once Kafka acknowledged them all. */
    Burst burst(String tenant, List<Lead> leads) {
        Instant start = Instant.now();
        long startNanos = System.nanoTime();
        for (int i = 0; i < leads.size(); i++) {
            send(tenant, leads.get(i), i, Instant.now());
        }
        producer.flush();
        return new Burst(start, (System.nanoTime() - startNanos) / 1e9, acked.get(), failure.get());
    }

    /**
     * Each lead's event at {@code ratePerSecond}, open loop: event i is due at start + i / rate whatever happened
     * to the events before it, and carries that intended time as its {@code occurred_at}. An event sent late
     * (the producer blocked, this thread was not scheduled) keeps its intended time, so the delay counts in its
     * latency instead of being hidden (no coordinated omission).
     */
    OpenLoop openLoop(String tenant, List<Lead> leads, double ratePerSecond) {
        long periodNanos = Math.round(1e9 / ratePerSecond);
        Map<String, Long> intendedMicros = new HashMap<>(leads.size() * 2);
        long maxLagNanos = 0;
        // a few milliseconds ahead, so that event 0 is not late already
        long firstDue = System.nanoTime() + 5_000_000;
        for (int i = 0; i < leads.size(); i++) {
            long due = firstDue + i * periodNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            long lag = System.nanoTime() - due;
            maxLagNanos = Math.max(maxLagNanos, lag);
            // the intended time on the wall clock PostgreSQL stamps commits with: now, less how late this send is
            Instant intended = Instant.now().minusNanos(lag).truncatedTo(ChronoUnit.MICROS);
            send(tenant, leads.get(i), i, intended);
            intendedMicros.put(leads.get(i).eventId(), ChronoUnit.MICROS.between(Instant.EPOCH, intended));
        }
        producer.flush();
        return new OpenLoop(intendedMicros, maxLagNanos / 1e6, acked.get(), failure.get());
    }

    private void send(String tenant, Lead lead, int sequence, Instant occurredAt) {
        String body = """
                {"event_id":"%s","event_type":"lead.created","occurred_at":"%s","tenant_id":"%s","business_id":"bench",\
                "lead_id":"%s","initial_message":"%s","source":"bench","name":"Lead %d","email":"lead%d@example.com"}"""
                .formatted(lead.eventId(), occurredAt, tenant, lead.leadId(), message(sequence), sequence, sequence);
        producer.send(new ProducerRecord<>(topic, lead.leadId(), body), (metadata, exception) -> {
            if (exception == null) {
                acked.incrementAndGet();
            } else {
                failure.compareAndSet(null, exception);
            }
        });
    }

    static String message(int sequence) {
        return MESSAGES[sequence % MESSAGES.length];
    }

    @Override
    public void close() {
        producer.close();
    }

    /** A new lead and the id of its {@code lead.created} event. */
    record Lead(String eventId, String leadId) {

        static List<Lead> create(int count) {
            List<Lead> leads = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                leads.add(new Lead(UUID.randomUUID().toString(), UUID.randomUUID().toString()));
            }
            return leads;
        }
    }

    /** What a burst sent: from when, how long publishing took, how many events Kafka acknowledged. */
    record Burst(Instant start, double publishSeconds, long acked, Exception failure) {
    }

    /** What an open-loop run sent: each event's intended send time (µs since the epoch) by event id. */
    record OpenLoop(Map<String, Long> intendedMicros, double maxSendLagMs, long acked, Exception failure) {
    }
}
