package io.leadai.pipeline.security;

import java.util.List;

import io.leadai.pipeline.api.ApiException;
import io.leadai.pipeline.api.FieldProblem;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * The one place the routes get their tenant from: the credential's tenant, as the exchange variable
 * {@value #VARIABLE}. A route policy on every HTTP route sets it from the request attribute that
 * {@link TenantScopeFilter} wrote after authentication, and removes the {@code tenant_id} header that
 * Camel made of a query parameter or a client's header, so nothing a client sends is ever taken as the
 * tenant. A route reached without it has no tenant and refuses the request.
 */
public final class AuthenticatedTenant extends RoutePolicySupport {

    /** The exchange variable every API bean reads the tenant from. */
    public static final String VARIABLE = "tenant_id";
    static final String REQUEST_ATTRIBUTE = AuthenticatedTenant.class.getName();

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        exchange.getIn().removeHeader(VARIABLE);
        exchange.removeVariable(VARIABLE);
        if (exchange.getIn() instanceof PlatformHttpMessage http
                && http.getRequest().getAttribute(REQUEST_ATTRIBUTE) instanceof String tenant) {
            exchange.setVariable(VARIABLE, tenant);
        }
    }

    /**
     * The tenant a request body may name: none, or the credential's own.
     *
     * @return the credential's tenant
     * @throws ApiException 403 naming {@code tenant_id} when the body names another tenant
     */
    public static String check(String authenticated, String named) {
        if (named != null && !named.equals(authenticated)) {
            throw new ApiException(403, "forbidden", List.of(otherTenant(authenticated)));
        }
        return authenticated;
    }

    static FieldProblem otherTenant(String tenant) {
        return new FieldProblem("tenant_id", "must be the tenant of the credential ('" + tenant + "'), or left out");
    }

    /** Puts the policy on every route that starts from HTTP (the REST operations), and on no other. */
    @Component
    static class OnHttpRoutes implements RoutePolicyFactory {
        @Override
        public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode node) {
            String uri = node instanceof RouteDefinition route && route.getInput() != null
                    ? route.getInput().getEndpointUri()
                    : "";
            return uri.startsWith("rest:") || uri.startsWith("platform-http:") ? new AuthenticatedTenant() : null;
        }
    }
}
