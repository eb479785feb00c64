package io.leadai.pipeline.enrichment;

/**
 * An AI service is down (its circuit is not closed): the record is left unfinished, to be read again when
 * the service answers, instead of being dead-lettered.
 */
public class AiServiceUnavailableException extends RuntimeException {

    public AiServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
