package io.leadai.pipeline.api;

import java.util.List;

/** The JSON body of every error response: {@code {"error": ..., "details": [{"field": ..., "problem": ...}]}}. */
public record ErrorBody(String error, List<FieldProblem> details) {
}
