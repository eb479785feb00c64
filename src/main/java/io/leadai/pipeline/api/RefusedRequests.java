package io.leadai.pipeline.api;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;

/**
 * What was wrong with a request refused before any route saw it, as the one {@link FieldProblem} its answer names:
 * refused by Tomcat (a request line, header or body that is not valid HTTP, a path it does not accept) or by
 * Spring's dispatcher (no such path, method or content type). Tomcat's own answers carry no detail, and a client
 * told only "bad request" cannot tell a broken body from a bad path.
 */
public final class RefusedRequests {

    /** A path that a second decoding could turn into another path (Tomcat's and Spring Security's refusal). */
    public static final FieldProblem PATH_NOT_ALLOWED =
            new FieldProblem("path", "contains an encoded character or sequence that is not allowed");
    /** The body's bytes ended before its Content-Length, or its chunked framing is broken. */
    public static final FieldProblem UNREADABLE_BODY = new FieldProblem("body",
            "could not be read: it ended before its declared Content-Length, or its chunked encoding is malformed");

    private RefusedRequests() {
    }

    /**
     * @param status the answer's status (4xx)
     * @param error  the exception Tomcat or Spring refused the request for, or null
     */
    public static FieldProblem problem(int status, HttpServletRequest request, Throwable error) {
        if (error instanceof HttpMediaTypeNotSupportedException unsupported) {
            return new FieldProblem("Content-Type", "must be application/json, was "
                    + (unsupported.getContentType() == null ? "absent" : "'" + unsupported.getContentType() + "'"));
        }
        if (error instanceof HttpRequestMethodNotSupportedException unsupported
                && unsupported.getSupportedMethods() != null) {
            return new FieldProblem("method", "must be one of " + String.join(", ", unsupported.getSupportedMethods()));
        }
        return switch (status) {
            case 400 -> badRequest(request, error);
            case 404 -> new FieldProblem("path", "names nothing in this API (it is described at /openapi.json)");
            case 405 -> new FieldProblem("method", "is not allowed on this path");
            case 413 -> new FieldProblem("body", "is too large");
            case 414 -> new FieldProblem("path", "is too long");
            case 431 -> new FieldProblem("headers", "are too large");
            default -> new FieldProblem("request", "was refused before it reached the API");
        };
    }

    /** Tomcat's 400s: in the order Tomcat reads a request, the part it stopped at. */
    private static FieldProblem badRequest(HttpServletRequest request, Throwable error) {
        if (causedBy(error, IOException.class)) {
            return UNREADABLE_BODY;
        }
        String host = request.getHeader("Host");
        if ("HTTP/1.1".equals(request.getProtocol()) && (host == null || host.isBlank())) {
            return new FieldProblem("Host", "is required");
        }
        String length = request.getHeader("Content-Length");
        if (length != null && !length.strip().matches("\\d{1,18}")) {
            return new FieldProblem("Content-Length", "must be a whole number of bytes");
        }
        String reason = error instanceof IllegalArgumentException && error.getMessage() != null
                ? error.getMessage().toLowerCase(Locale.ROOT) : "";
        if (reason.contains("domain name") || reason.contains("host")) {
            return new FieldProblem("Host", "is not a valid host name");
        }
        if (reason.contains("header")) {
            return new FieldProblem("headers", "hold a line that is not a valid HTTP header");
        }
        if (!reason.isEmpty()) {
            return new FieldProblem("request line", "is not valid HTTP: a method, a path without spaces, a protocol");
        }
        // an encoded slash, backslash or NUL, a path above the root, a path that is not UTF-8 ("Invalid URI")
        return PATH_NOT_ALLOWED;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
