package io.leadai.pipeline.kafka;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Why a consumed record failed, in the few words a metric tag can carry: a closed set, so a dashboard can
 * filter on it and the number of series stays bounded. Transient kinds are retried; the others are not.
 */
public enum FailureKind {

    /** Not JSON, or not valid against its schema. */
    INVALID_EVENT("invalid_event", false),
    /** An AI service refused the request: 4xx other than 429 (or any other non-2xx below 500). */
    HTTP_4XX("http_4xx", false),
    HTTP_429("http_429", true),
    HTTP_5XX("http_5xx", true),
    /** The client's connect or response timeout. */
    TIMEOUT("timeout", true),
    /** Connection refused, no route, the connection closed without an answer. */
    UNREACHABLE("unreachable", true),
    /** Anything else, an unreadable AI answer among them; the exact class is in the dead letter's headers. */
    OTHER("other", false);

    private final String tag;
    private final boolean transientFailure;

    FailureKind(String tag, boolean transientFailure) {
        this.tag = tag;
        this.transientFailure = transientFailure;
    }

    /** The first cause that says what happened decides; Camel's wrappers around it do not. */
    public static FailureKind of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException) {
                return INVALID_EVENT;
            }
            if (t instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                return status == 429 ? HTTP_429 : status >= 500 ? HTTP_5XX : HTTP_4XX;
            }
            if (t instanceof InterruptedIOException) {
                return TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof NoHttpResponseException) {
                return UNREACHABLE;
            }
        }
        return OTHER;
    }

    public String tag() {
        return tag;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
