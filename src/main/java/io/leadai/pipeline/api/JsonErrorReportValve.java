package io.leadai.pipeline.api;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Requests Tomcat refuses before any servlet sees them (an encoded slash or NUL in the path, a path above the
 * root) answer in the API's error shape, {@code {"error": ..., "details": []}}, instead of Tomcat's HTML page.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String error = known == null ? "error" : known.getReasonPhrase().toLowerCase(Locale.ROOT);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"error\":\"" + error + "\",\"details\":[]}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response was committed meanwhile: nothing left to tell it
        }
    }
}
