package io.leadai.pipeline.security;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.api.FieldProblem;
import io.leadai.pipeline.api.ServletErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 for a request without a valid credential: a {@code WWW-Authenticate} challenge for each way in
 * (the API key header, and Bearer when JWTs are on, with RFC 6750's error for a refused token) and the
 * API's JSON error body naming the header at fault.
 */
final class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final String API_KEY_CHALLENGE = "ApiKey realm=\"lead-ai-pipeline\", header=\"" + ApiKeyFilter.HEADER + "\"";

    private final ObjectMapper objectMapper;
    private final boolean jwtEnabled;
    private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();

    ApiAuthenticationEntryPoint(ObjectMapper objectMapper, boolean jwtEnabled) {
        this.objectMapper = objectMapper;
        this.jwtEnabled = jwtEnabled;
        bearer.setRealmName("lead-ai-pipeline");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (jwtEnabled) {
            // sets 401 and the Bearer challenge, with error="invalid_token" when a token was refused
            bearer.commence(request, response, failure);
        }
        response.addHeader("WWW-Authenticate", API_KEY_CHALLENGE);
        ServletErrors.write(response, objectMapper, 401, "unauthorized", problem(failure));
    }

    private FieldProblem problem(AuthenticationException failure) {
        if (failure instanceof ApiKeyFilter.RefusedApiKey refused) {
            return new FieldProblem(refused.field(), refused.getMessage());
        }
        if (failure instanceof OAuth2AuthenticationException oauth2) {
            String description = oauth2.getError().getDescription();
            return new FieldProblem("Authorization", "bearer token refused: "
                    + (description == null ? oauth2.getError().getErrorCode() : description));
        }
        return new FieldProblem(ApiKeyFilter.HEADER, jwtEnabled
                ? "is required, or Authorization: Bearer with a JWT"
                : "is required");
    }
}
