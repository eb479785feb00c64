package io.leadai.pipeline.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Error answers of servlet filters, which refuse a request before any route sees it (413, 401, 403, 429):
 * the same {@link ErrorBody} as the routes' own errors.
 */
public final class ServletErrors {

    private ServletErrors() {
    }

    public static void write(HttpServletResponse response, ObjectMapper objectMapper, int status, String error,
                             FieldProblem problem) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(objectMapper.writeValueAsString(new ErrorBody(error, List.of(problem)))
                .getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }
}
