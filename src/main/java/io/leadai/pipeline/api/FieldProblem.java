package io.leadai.pipeline.api;

/** One thing wrong with a request: which field, and what is wrong with it. */
public record FieldProblem(String field, String problem) {
}
