package io.leadai.pipeline.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;

/**
 * Requests refused before they reach a route (no such path, wrong method, wrong content type, a body Tomcat
 * could not read) get the same JSON body as the routes' own errors, {@code {"error": ..., "details": [...]}},
 * naming what was wrong ({@link RefusedRequests}).
 */
@Component
public class ApiErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Object code = super.getErrorAttributes(request, ErrorAttributeOptions.defaults()).get("status");
        HttpStatus status = code instanceof Integer value ? HttpStatus.resolve(value) : null;
        String error = status == null ? "error" : status.getReasonPhrase().toLowerCase(Locale.ROOT);
        List<FieldProblem> details = List.of();
        HttpServletRequest servlet = request instanceof NativeWebRequest nativeRequest
                ? nativeRequest.getNativeRequest(HttpServletRequest.class) : null;
        if (status != null && status.is4xxClientError() && servlet != null) {
            details = List.of(RefusedRequests.problem(status.value(), servlet, getError(request)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("details", details);
        return body;
    }
}
