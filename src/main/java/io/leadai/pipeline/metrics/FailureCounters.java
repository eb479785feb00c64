package io.leadai.pipeline.metrics;

import java.util.List;

import io.leadai.pipeline.config.AppProperties;
import io.leadai.pipeline.kafka.DeadLetters;
import io.leadai.pipeline.kafka.DeadLetters.DeadLetter;
import io.leadai.pipeline.kafka.FailureKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * Counters of failed records, tagged with what an operator filters on: the record's source {@code topic}
 * and the failure {@code kind} ({@link FailureKind}). Both come from closed sets, so the series stay few.
 */
@Component("failureCounters")
public class FailureCounters {

    /** Prometheus: {@code leadai_ai_redeliveries_total}. */
    public static final String REDELIVERIES = "leadai.ai.redeliveries";
    /** Prometheus: {@code leadai_dead_letters_total}. */
    public static final String DEAD_LETTERS = "leadai.dead.letters";

    private final MeterRegistry registry;

    public FailureCounters(MeterRegistry registry, AppProperties app) {
        this.registry = registry;
        // every series that can occur starts at zero: increase() then sees the first failure, and a
        // dashboard finds the metric before anything has failed
        List<String> enricherTopics = List.of(app.topics().leadCreated(), app.topics().leadMessage(),
                app.topics().aiRequest());
        for (String topic : enricherTopics) {
            for (FailureKind kind : FailureKind.values()) {
                if (kind.isTransient()) {
                    redeliveries(topic, kind);
                }
            }
        }
        for (String topic : List.of(app.topics().leadCreated(), app.topics().leadMessage(), app.topics().aiRequest(),
                app.topics().aiResult())) {
            for (FailureKind kind : FailureKind.values()) {
                deadLetters(topic, kind);
            }
        }
    }

    /** One more attempt at an AI call that failed transiently. */
    public void redelivery(String topic, FailureKind kind) {
        redeliveries(topic, kind).increment();
    }

    /** Called once Kafka has acknowledged the dead letter (shared-dead-letter.camel.yaml). */
    public void deadLetterWritten(@Variable(DeadLetters.LETTER) DeadLetter letter) {
        deadLetters(letter.record().topic(), letter.kind()).increment();
    }

    private Counter redeliveries(String topic, FailureKind kind) {
        return counter(REDELIVERIES, "Redeliveries of records whose AI call failed transiently", topic, kind);
    }

    private Counter deadLetters(String topic, FailureKind kind) {
        return counter(DEAD_LETTERS, "Records written to the dead-letter topic, by the topic they came from", topic,
                kind);
    }

    private Counter counter(String name, String description, String topic, FailureKind kind) {
        return Counter.builder(name)
                .description(description)
                .tag("topic", String.valueOf(topic))
                .tag("kind", kind.tag())
                .register(registry);
    }
}
