package io.leadai.pipeline.tracing;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Hands the HTTP server span Spring opens for a request to Camel's REST routes. Camel's tracing takes a
 * route's parent only from the request's W3C headers, so this filter shows it the server span's context as
 * those headers (in place of a client's, which the server span already continues). The request, its routes
 * and what they write into the outbox are then one trace.
 */
public class ServerSpanHeadersFilter extends OncePerRequestFilter {

    private final TextMapPropagator propagator;

    public ServerSpanHeadersFilter(TextMapPropagator propagator) {
        this.propagator = propagator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!Span.current().getSpanContext().isValid()) {
            chain.doFilter(request, response);
            return;
        }
        Map<String, String> context = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        propagator.inject(Context.current(), context, Map::put);
        chain.doFilter(new WithHeaders(request, context), response);
    }

    /** The request with some headers replaced. */
    private static final class WithHeaders extends HttpServletRequestWrapper {

        private final Map<String, String> replaced;

        WithHeaders(HttpServletRequest request, Map<String, String> replaced) {
            super(request);
            this.replaced = replaced;
        }

        @Override
        public String getHeader(String name) {
            return replaced.containsKey(name) ? replaced.get(name) : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return replaced.containsKey(name) ? Collections.enumeration(Set.of(replaced.get(name)))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            Set<String> names = new LinkedHashSet<>();
            for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
                String name = e.nextElement();
                if (!replaced.containsKey(name)) {
                    names.add(name);
                }
            }
            replaced.keySet().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
            return Collections.enumeration(names);
        }
    }
}
