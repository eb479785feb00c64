package io.leadai.pipeline.kafka;

/** A consumed record that no retry can fix: not JSON, or not valid against its schema. Dead-lettered at once. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }
}
