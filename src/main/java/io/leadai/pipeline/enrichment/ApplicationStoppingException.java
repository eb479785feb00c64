package io.leadai.pipeline.enrichment;

/**
 * The application is stopping and a record's work was cut short (a processor refused it, a thread was interrupted):
 * the record did not fail, so it is left unfinished and read again after the restart, never dead-lettered. A dead
 * letter written here would stand beside the result of the next run.
 */
public class ApplicationStoppingException extends RuntimeException {

    public ApplicationStoppingException(String message, Throwable cause) {
        super(message, cause);
    }
}
