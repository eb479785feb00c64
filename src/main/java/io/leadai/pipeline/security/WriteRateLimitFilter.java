package io.leadai.pipeline.security;

import java.io.IOException;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.leadai.pipeline.api.FieldProblem;
import io.leadai.pipeline.api.ServletErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code app.security.rate-limit.writes-per-second} writes (POST) per tenant and second; more get
 * 429 with {@code Retry-After}. Each tenant has its own limiter and a refused request never waits, so a
 * tenant over its limit costs the others nothing but the refusals.
 */
final class WriteRateLimitFilter extends OncePerRequestFilter {

    private final RateLimiterRegistry limiters;
    private final int writesPerSecond;
    private final ObjectMapper objectMapper;

    WriteRateLimitFilter(int writesPerSecond, ObjectMapper objectMapper) {
        this.writesPerSecond = writesPerSecond;
        this.objectMapper = objectMapper;
        this.limiters = RateLimiterRegistry.of(RateLimiterConfig.custom()
                .limitForPeriod(writesPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String tenant = (String) request.getAttribute(AuthenticatedTenant.REQUEST_ATTRIBUTE);
        RateLimiter limiter = limiters.rateLimiter(tenant);
        if (limiter.acquirePermission()) {
            chain.doFilter(request, response);
            return;
        }
        long retryAfter = retryAfterSeconds(limiter);
        response.setHeader("Retry-After", Long.toString(retryAfter));
        ServletErrors.write(response, objectMapper, 429, "too many requests", new FieldProblem("tenant_id",
                "tenant '" + tenant + "' sent more than " + writesPerSecond + " writes per second; retry after "
                        + retryAfter + " s"));
    }

    private static long retryAfterSeconds(RateLimiter limiter) {
        long nanos = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait() : 0;
        // whole seconds (RFC 9110), rounded up, at least 1
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
