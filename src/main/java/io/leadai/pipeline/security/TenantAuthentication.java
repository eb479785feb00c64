package io.leadai.pipeline.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A caller the API knows, and the one tenant it acts for: from an API key or a JWT's tenant claim.
 * Every tenant-scoped operation uses {@link #tenant()}, never a tenant the request names.
 */
public final class TenantAuthentication extends AbstractAuthenticationToken {

    private final String tenant;
    private final String method;
    private final transient Object credential;

    /**
     * @param method     {@code api-key} or {@code jwt}
     * @param credential the verified JWT; for an API key nothing (the key itself is never kept)
     */
    public TenantAuthentication(String tenant, String method, Object credential) {
        super(List.of(new SimpleGrantedAuthority("TENANT")));
        this.tenant = tenant;
        this.method = method;
        this.credential = credential;
        setAuthenticated(true);
    }

    public String tenant() {
        return tenant;
    }

    public String method() {
        return method;
    }

    @Override
    public Object getCredentials() {
        return credential;
    }

    @Override
    public Object getPrincipal() {
        return tenant;
    }

    @Override
    public String getName() {
        return tenant;
    }

    /** The tenant of an authenticated request, or null. */
    public static String tenantOf(Authentication authentication) {
        return authentication instanceof TenantAuthentication tenantAuthentication && authentication.isAuthenticated()
                ? tenantAuthentication.tenant()
                : null;
    }
}
