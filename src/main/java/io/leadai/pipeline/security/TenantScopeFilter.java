package io.leadai.pipeline.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadai.pipeline.api.FieldProblem;
import io.leadai.pipeline.api.ServletErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs once a request is authenticated: refuses (403) a {@code tenant_id} query parameter that names
 * another tenant than the credential's, and hands the credential's tenant to the routes as the request
 * attribute {@link AuthenticatedTenant#REQUEST_ATTRIBUTE} (see {@link AuthenticatedTenant}).
 */
final class TenantScopeFilter extends OncePerRequestFilter {

    static final String TENANT_PARAMETER = "tenant_id";

    private final ObjectMapper objectMapper;

    TenantScopeFilter(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String tenant = TenantAuthentication.tenantOf(SecurityContextHolder.getContext().getAuthentication());
        if (tenant == null) {
            ServletErrors.write(response, objectMapper, 403, "forbidden",
                    new FieldProblem("tenant_id", "the credential names no tenant"));
            return;
        }
        if (namesOtherTenant(request.getQueryString(), tenant)) {
            ServletErrors.write(response, objectMapper, 403, "forbidden", AuthenticatedTenant.otherTenant(tenant));
            return;
        }
        request.setAttribute(AuthenticatedTenant.REQUEST_ATTRIBUTE, tenant);
        chain.doFilter(request, response);
    }

    /**
     * Read from the raw query string, not {@code getParameter}: that would read a form body too, and the
     * API takes JSON bodies only.
     */
    static boolean namesOtherTenant(String query, String tenant) {
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (TENANT_PARAMETER.equals(name)) {
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                if (!tenant.equals(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // broken %-escapes: not the tenant's id, whatever it was meant to be
            return "\u0000" + text;
        }
    }
}
