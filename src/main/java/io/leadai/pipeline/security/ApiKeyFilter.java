package io.leadai.pipeline.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code X-API-Key} header. A key that is not known is refused at once
 * (401), never passed on as anonymous; a request with no key goes on to the JWT filter, if any.
 */
final class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final AuthenticationEntryPoint entryPoint;
    private final SecurityContextRepository contextRepository;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiKeyFilter(ApiKeys keys, AuthenticationEntryPoint entryPoint, SecurityContextRepository contextRepository) {
        this.keys = keys;
        this.entryPoint = entryPoint;
        this.contextRepository = contextRepository;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            // two credentials might name two tenants: the caller must choose
            entryPoint.commence(request, response,
                    new RefusedApiKey(HEADER, "must not be sent together with an Authorization header"));
            return;
        }
        var tenant = keys.tenantOf(key.trim());
        if (tenant.isEmpty()) {
            entryPoint.commence(request, response, new RefusedApiKey(HEADER, "is not a valid API key"));
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new TenantAuthentication(tenant.get(), "api-key", null));
        contexts.setContext(context);
        // kept on the request, so the asynchronous dispatch that writes the route's answer sees it too
        contextRepository.saveContext(context, request, response);
        chain.doFilter(request, response);
    }

    /** Why an API key was refused, and which header to fix. */
    static final class RefusedApiKey extends AuthenticationException {
        private final String field;

        RefusedApiKey(String field, String problem) {
            super(problem);
            this.field = field;
        }

        String field() {
            return field;
        }
    }
}
