package io.leadai.pipeline.api;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Requests Tomcat refuses before any servlet sees them (a request line, header or body that is not valid HTTP, an
 * encoded slash or NUL in the path, a path above the root) answer in the API's error shape,
 * {@code {"error": ..., "details": [{"field": ..., "problem": ...}]}} naming what was wrong
 * ({@link RefusedRequests}), instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    /** Tomcat makes the valve by its class name: no Spring bean to inject. */
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new HtmlSafeJson());
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String error = known == null ? "error" : known.getReasonPhrase().toLowerCase(Locale.ROOT);
        List<FieldProblem> details = status < 500 ? List.of(RefusedRequests.problem(status, request, throwable))
                : List.of();
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(new ErrorBody(error, details)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response was committed meanwhile: nothing left to tell it
        }
    }
}
