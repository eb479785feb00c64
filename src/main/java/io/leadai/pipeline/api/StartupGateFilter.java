package io.leadai.pipeline.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 with {@code Retry-After} while the application is not accepting traffic: Tomcat listens before
 * Camel's REST routes are up, and a request then found no route and got 404, which a client takes as final (a
 * lead it would never send again). The same while the application shuts down.
 */
public class StartupGateFilter extends OncePerRequestFilter {

    private final ApplicationAvailability availability;
    private final ObjectMapper objectMapper;

    public StartupGateFilter(ApplicationAvailability availability, ObjectMapper objectMapper) {
        this.availability = availability;
        this.objectMapper = objectMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", "1");
        ServletErrors.write(response, objectMapper, 503, "service unavailable",
                new FieldProblem("service", "is starting or stopping; retry shortly"));
    }
}
