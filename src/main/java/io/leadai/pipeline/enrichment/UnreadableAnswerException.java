package io.leadai.pipeline.enrichment;

/** An AI service answered, but not with what its mapping expects: permanent, dead-lettered at once. */
public class UnreadableAnswerException extends RuntimeException {

    public UnreadableAnswerException(String message) {
        super(message);
    }
}
