package io.leadai.pipeline.api;

import java.util.List;

/** A request the API refuses, with the HTTP status and the body the caller gets. */
public class ApiException extends RuntimeException {

    private final int status;
    private final transient List<FieldProblem> details;

    public ApiException(int status, String error, List<FieldProblem> details) {
        super(error);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public static ApiException badRequest(String error, List<FieldProblem> details) {
        return new ApiException(400, error, details);
    }

    public static ApiException badField(String field, String problem) {
        return badRequest("invalid request", List.of(new FieldProblem(field, problem)));
    }

    public static ApiException notFound(String what, String field, String problem) {
        return new ApiException(404, what + " not found", List.of(new FieldProblem(field, problem)));
    }

    public int status() {
        return status;
    }

    public ErrorBody body() {
        return new ErrorBody(getMessage(), details);
    }
}
