package io.leadai.pipeline.routes;

/**
 * One thing wrong in a route file, said the way a compiler says it, so editors and terminals link to the line:
 * {@code routes/x.camel.yaml:12: unknown option 'brokerz' of endpoint kafka (did you mean 'brokers'?)}.
 * A warning does not fail the build.
 */
public record RouteFileProblem(String file, int line, String message, boolean warning) {

    static RouteFileProblem error(String file, int line, String message) {
        return new RouteFileProblem(file, line, message, false);
    }

    static RouteFileProblem warning(String file, int line, String message) {
        return new RouteFileProblem(file, line, message, true);
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + (warning ? "warning: " : "") + message;
    }
}
